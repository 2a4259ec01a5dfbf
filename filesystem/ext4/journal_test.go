package ext4_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestJournalReplay writes transactions into the journal with debugfs
// without applying them (as a crash would leave them), and checks the
// reader sees what e2fsprogs' own recovery makes of them.
func TestJournalReplay(t *testing.T) {
	for _, tc := range []struct {
		name, script, want string
		mkfs               []string
	}{
		{"committed", "jo\njw -b BLOCK NEW\njc\n", "new contents\n", []string{"-t", "ext4"}},
		{"committed-ext3-1k", "jo\njw -b BLOCK NEW\njc\n", "new contents\n", []string{"-t", "ext3", "-b", "1024"}},
		{"csum-v3", "jo -c\njw -b BLOCK NEW\njc\n", "new contents\n", []string{"-t", "ext4"}},
		{"revoked-later", "jo\njw -b BLOCK NEW\njc\njo\njw -r BLOCK /dev/null\njc\n", "old contents\n", []string{"-t", "ext4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := t.TempDir()
			write(t, filepath.Join(src, "hello"), []byte("old contents\n"))
			img := mkfs(t, src, 64<<20, tc.mkfs...)
			block := strings.TrimSpace(lastLine(debugfs(t, img, "bmap /hello 0")))
			fsys, v := openImage(t, img)
			newBlock := filepath.Join(t.TempDir(), "new")
			write(t, newBlock, append([]byte("new contents\n"), make([]byte, v.Info().BlockSize-13)...))
			script := strings.NewReplacer("BLOCK", block, "NEW", newBlock).Replace(tc.script)
			runStdin(t, script, "debugfs", "-w", "-f", "-", img)
			if !strings.Contains(run(t, nil, "dumpe2fs", "-h", img), "needs_recovery") {
				t.Fatal("debugfs left no transaction to recover")
			}

			fsys, v = openImage(t, img)
			got, err := fsys.ReadFile("hello")
			if err != nil || string(got) != tc.want {
				t.Errorf("ReadFile hello = %q, %v; want %q", got, err, tc.want)
			}
			info := v.Info()
			if !slices.Contains(info.Features, "needs_recovery") || len(info.Unsupported) != 0 {
				t.Errorf("Info = %+v, want needs_recovery replayed", info)
			}
			// e2fsprogs' recovery agrees.
			run(t, nil, "debugfs", "-w", "-R", "jr", img)
			if out := debugfs(t, img, "cat /hello"); !strings.HasSuffix(out, "\n"+tc.want) {
				t.Errorf("after debugfs jr, hello = %q, want %q", out, tc.want)
			}
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func runStdin(t *testing.T, stdin, name string, args ...string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "script")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(stdin)
	f.Close()
	for i, a := range args {
		if a == "-" {
			args[i] = f.Name()
		}
	}
	run(t, nil, name, args...)
}
