//go:build !unix

package convert

// freeSpace is unknown here: qemu-img reports a full disk itself.
func freeSpace(string) int64 { return -1 }
