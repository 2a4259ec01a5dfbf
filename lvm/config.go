package lvm

import (
	"fmt"
	"strconv"
	"strings"
)

// LVM's metadata is text in its configuration language:
//
//	vg0 {
//		id = "..."
//		seqno = 3
//		status = ["RESIZEABLE", "READ", "WRITE"]
//		physical_volumes { pv0 { ... } }
//	}
//	# comment
//	contents = "Text Format Volume Group"
//
// parseConfig reads it into sections of values. It is bounded in nesting
// depth and in the number of values, and never panics on bad input.

const (
	maxConfigDepth  = 16
	maxConfigValues = 256 << 10 // ~20 MiB of parsed values at most
)

type valueKind int

const (
	kindString valueKind = iota
	kindInt
	kindFloat
	kindList
	kindSection
)

type value struct {
	kind valueKind
	str  string // kindString, and kindFloat's text
	num  int64
	list []value
	sec  *section
}

type entry struct {
	name string
	val  value
}

// section keeps its entries in file order (segment and LV order matter).
type section struct {
	name    string
	entries []entry
}

func (s *section) get(name string) (value, bool) {
	for _, e := range s.entries {
		if e.name == name {
			return e.val, true
		}
	}
	return value{}, false
}

func (s *section) str(name string) (string, bool) {
	v, ok := s.get(name)
	if !ok || v.kind != kindString {
		return "", false
	}
	return v.str, true
}

func (s *section) int(name string) (int64, bool) {
	v, ok := s.get(name)
	if !ok || v.kind != kindInt {
		return 0, false
	}
	return v.num, true
}

func (s *section) sub(name string) *section {
	v, ok := s.get(name)
	if !ok || v.kind != kindSection {
		return nil
	}
	return v.sec
}

// strings returns a list of strings, e.g. status = ["READ", "WRITE"].
func (s *section) strings(name string) []string {
	v, ok := s.get(name)
	if !ok || v.kind != kindList {
		return nil
	}
	var out []string
	for _, e := range v.list {
		if e.kind == kindString {
			out = append(out, e.str)
		}
	}
	return out
}

func (s *section) children() []*section {
	var out []*section
	for _, e := range s.entries {
		if e.val.kind == kindSection {
			out = append(out, e.val.sec)
		}
	}
	return out
}

// vgSection is the top-level section that describes a VG.
func (s *section) vgSection() *section {
	for _, c := range s.children() {
		if _, ok := c.get("extent_size"); ok {
			return c
		}
	}
	return nil
}

type configParser struct {
	src    []byte
	pos    int
	values int
}

func parseConfig(src []byte) (*section, error) {
	p := &configParser{src: src}
	root := &section{}
	if err := p.items(root, 0); err != nil {
		return nil, err
	}
	return root, nil
}

func (p *configParser) errf(format string, args ...any) error {
	line := 1 + strings.Count(string(p.src[:min(p.pos, len(p.src))]), "\n")
	return corruptf("metadata text line %d: %s", line, fmt.Sprintf(format, args...))
}

// skip passes white space and comments.
func (p *configParser) skip() {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case c == '#':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		default:
			return
		}
	}
}

func isNameByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("_-+./@:", c) >= 0
}

// items parses `name = value` and `name { ... }` until '}' or the end.
func (p *configParser) items(s *section, depth int) error {
	if depth > maxConfigDepth {
		return p.errf("sections nested deeper than %d", maxConfigDepth)
	}
	for {
		p.skip()
		if p.pos >= len(p.src) {
			if depth > 0 {
				return p.errf("section %q is not closed", s.name)
			}
			return nil
		}
		if p.src[p.pos] == '}' {
			if depth == 0 {
				return p.errf("unexpected '}'")
			}
			p.pos++
			return nil
		}
		start := p.pos
		for p.pos < len(p.src) && isNameByte(p.src[p.pos]) {
			p.pos++
		}
		if p.pos == start {
			return p.errf("unexpected %q", p.src[p.pos])
		}
		name := string(p.src[start:p.pos])
		p.skip()
		if p.pos >= len(p.src) {
			return p.errf("%s has no value", name)
		}
		if err := p.count(); err != nil {
			return err
		}
		switch p.src[p.pos] {
		case '{':
			p.pos++
			child := &section{name: name}
			if err := p.items(child, depth+1); err != nil {
				return err
			}
			s.entries = append(s.entries, entry{name, value{kind: kindSection, sec: child}})
		case '=':
			p.pos++
			v, err := p.value(0)
			if err != nil {
				return err
			}
			s.entries = append(s.entries, entry{name, v})
		default:
			return p.errf("expected '=' or '{' after %s", name)
		}
	}
}

func (p *configParser) count() error {
	p.values++
	if p.values > maxConfigValues {
		return p.errf("more than %d values", maxConfigValues)
	}
	return nil
}

func (p *configParser) value(depth int) (value, error) {
	p.skip()
	if p.pos >= len(p.src) {
		return value{}, p.errf("missing value")
	}
	switch c := p.src[p.pos]; {
	case c == '"':
		s, err := p.quoted()
		return value{kind: kindString, str: s}, err
	case c == '[':
		if depth >= maxConfigDepth {
			return value{}, p.errf("lists nested deeper than %d", maxConfigDepth)
		}
		p.pos++
		v := value{kind: kindList}
		for {
			p.skip()
			if p.pos >= len(p.src) {
				return value{}, p.errf("list is not closed")
			}
			switch p.src[p.pos] {
			case ']':
				p.pos++
				return v, nil
			case ',':
				p.pos++
				continue
			}
			if err := p.count(); err != nil {
				return value{}, err
			}
			e, err := p.value(depth + 1)
			if err != nil {
				return value{}, err
			}
			v.list = append(v.list, e)
		}
	case c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'):
		start := p.pos
		p.pos++
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			p.pos++
		}
		text := string(p.src[start:p.pos])
		if strings.Contains(text, ".") {
			if _, err := strconv.ParseFloat(text, 64); err != nil {
				return value{}, p.errf("bad number %q", text)
			}
			return value{kind: kindFloat, str: text}, nil
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return value{}, p.errf("bad number %q", text)
		}
		return value{kind: kindInt, num: n}, nil
	}
	return value{}, p.errf("unexpected %q in a value", p.src[p.pos])
}

// quoted reads a "string" with backslash escapes.
func (p *configParser) quoted() (string, error) {
	p.pos++ // opening quote
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		p.pos++
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			if p.pos >= len(p.src) {
				return "", p.errf("string ends in a backslash")
			}
			c = p.src[p.pos]
			p.pos++
		}
		b.WriteByte(c)
	}
	return "", p.errf("string is not closed")
}
