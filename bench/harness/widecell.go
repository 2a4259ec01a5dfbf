package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// wideCell shows the renderer cost behind the per-key figure: a Bubble Tea
// program whose first row changes each frame while its third row does not.
// With an ASCII third row a frame is a few bytes; with a double-width
// character in it, the unchanged row is repainted on every frame.
func wideCell() error {
	rows := []struct{ name, line string }{
		{"ASCII, to column 80", "  > CentOS 7.9 64bt \x1b[37m" + strings.Repeat(" ", 60) + "\x1b[m"},
		{"with 位, to column 80", "  > CentOS 7.9 64位 \x1b[37m" + strings.Repeat(" ", 60) + "\x1b[m"},
		{"with 位, short", "  > CentOS 7.9 64位"},
	}
	for _, r := range rows {
		var out lockedBuffer
		p := tea.NewProgram(wideModel{line: r.line}, tea.WithOutput(&out), tea.WithInput(nil),
			tea.WithWindowSize(80, 24), tea.WithColorProfile(colorprofile.ANSI256))
		go func() { _, _ = p.Run() }()
		time.Sleep(150 * time.Millisecond)
		var sizes []string
		for i := 0; i < 3; i++ {
			n := out.Len()
			p.Send(wideTick{})
			time.Sleep(80 * time.Millisecond)
			sizes = append(sizes, strconv.Itoa(out.Len()-n))
		}
		p.Kill()
		fmt.Printf("   unchanged row %-22s bytes per frame: %s\n", r.name+":", strings.Join(sizes, ", "))
	}
	return nil
}

type wideTick struct{}

type wideModel struct {
	n    int
	line string
}

func (m wideModel) Init() tea.Cmd { return nil }

func (m wideModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(wideTick); ok {
		m.n++
	}
	return m, nil
}

func (m wideModel) View() tea.View {
	v := tea.NewView("row1 " + strings.Repeat("x", m.n) + "\n\n" + m.line + "\nend")
	v.AltScreen = true
	return v
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}
