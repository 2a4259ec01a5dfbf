package imageformat

import "fmt"

// HumanSize prints a byte count the way disk tools do: exact binary units
// when the size is a whole number of them ("20 GiB"), one decimal otherwise.
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, i := float64(n)/unit, 0
	exact := n%unit == 0
	m := n / unit
	for v >= unit && i < len(units)-1 {
		v /= unit
		exact = exact && m%unit == 0
		m /= unit
		i++
	}
	if exact {
		return fmt.Sprintf("%d %s", m, units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
