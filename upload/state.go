package upload

import (
	"bufio"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// The resume state of one multipart upload: a file of JSON lines in
// StateDir, mode 0600, holding no secret (the upload id only works with
// the keys). The first line is the header; every later line records one
// finished part and/or 4 MiB block hashes of the file.
//
// Why lines rather than rewriting one JSON document per part: a 50 GiB
// image has 12,800 parts, and rewriting the whole state after each would
// write O(parts²) bytes. The header is written whole (temp file, sync,
// rename), and each finished part appends one line with a single write:
// a kill -9 can at worst leave a torn last line, which load skips (that
// part is then sent again, or adopted after checking its hash). Appends
// are not fsynced: they survive a killed process, and after a power cut
// losing the last few lines only costs re-sending those parts. Loading
// rewrites the file compacted, the same atomic way.
//
// The file name hashes the file's absolute path, bucket and key (prefix)
// and its size and mtime (suffix), so a changed file maps to a new state
// while the old one can still be found, aborted and removed.

const stateVersion = 1

type header struct {
	V           int    `json:"v"`
	File        string `json:"file"`
	Size        int64  `json:"size"`
	MTimeNano   int64  `json:"mtime_ns"`
	Bucket      string `json:"bucket"`
	Key         string `json:"key"`
	Endpoint    string `json:"endpoint"` // where the objects were (URL without key)
	UploadID    string `json:"upload_id"`
	BlkSize     int64  `json:"blk_size"`
	ContentType string `json:"content_type"`
	Created     string `json:"created"`
	// Conversion names how the bytes sent were made from File ("" when
	// they are File's own); Size is then the bytes sent.
	Conversion string `json:"conversion,omitempty"`
}

// partRec is one finished part: its ETag as the server gave it and the
// SHA1 of the bytes sent.
type partRec struct {
	N    int    `json:"n"`
	Size int64  `json:"size"`
	ETag string `json:"etag"`
	SHA1 string `json:"sha1"`
}

type line struct {
	H *header           `json:"h,omitempty"`
	P *partRec          `json:"p,omitempty"`
	B map[string]string `json:"b,omitempty"` // block index -> SHA1 hex
}

// state is a loaded state file.
type state struct {
	h      header
	parts  map[int]partRec
	blocks map[int][sha1.Size]byte
}

// stateNames returns the state file name prefix shared by every version
// of one file/bucket/key, and the full path for this size and mtime and,
// when the bytes sent are made from the file, this conversion and the
// size it makes (so other options start over, like a changed file).
func stateNames(dir, absFile, bucket, key string, size int64, mtime time.Time, conversion string, sent int64) (prefix, path string) {
	id := sha256.Sum256([]byte(absFile + "\x00" + bucket + "\x00" + key))
	prefix = filepath.Join(dir, "upload-"+hex.EncodeToString(id[:8]))
	v := strconv.FormatInt(size, 10) + "\x00" + strconv.FormatInt(mtime.UnixNano(), 10)
	if conversion != "" {
		v += "\x00" + conversion + "\x00" + strconv.FormatInt(sent, 10)
	}
	ver := sha256.Sum256([]byte(v))
	return prefix, prefix + "-" + hex.EncodeToString(ver[:6]) + ".json"
}

// lockName is the lock file of one bucket and key: two uploads to the
// same object are kept apart whatever files they read.
func lockName(dir, bucket, key string) string {
	id := sha256.Sum256([]byte(bucket + "\x00" + key))
	return filepath.Join(dir, "lock-"+hex.EncodeToString(id[:8])+".lock")
}

// loadState reads a state file; a missing file gives (nil, nil). Lines
// that do not parse (a torn write) are skipped.
func loadState(path string) (*state, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st := &state{parts: map[int]partRec{}, blocks: map[int][sha1.Size]byte{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	first := true
	for sc.Scan() {
		var l line
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue
		}
		if first {
			if l.H == nil || l.H.V != stateVersion || l.H.UploadID == "" || l.H.BlkSize <= 0 {
				return nil, fmt.Errorf("unusable state file %s", path)
			}
			st.h, first = *l.H, false
		}
		if l.P != nil {
			st.parts[l.P.N] = *l.P
		}
		for k, v := range l.B {
			n, err1 := strconv.Atoi(k)
			sum, err2 := hex.DecodeString(v)
			if err1 == nil && err2 == nil && len(sum) == sha1.Size && n >= 0 {
				st.blocks[n] = [sha1.Size]byte(sum)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if first {
		return nil, fmt.Errorf("empty state file %s", path)
	}
	return st, nil
}

func encodeBlocks(b map[int][sha1.Size]byte) map[string]string {
	if len(b) == 0 {
		return nil
	}
	out := make(map[string]string, len(b))
	for k, v := range b {
		out[strconv.Itoa(k)] = hex.EncodeToString(v[:])
	}
	return out
}

// stateFile is an open state file that finished parts are appended to.
type stateFile struct {
	path string
	mu   sync.Mutex
	f    *os.File
}

// createState writes st compacted (header, then one line per part, then
// the block hashes) to a temp file, syncs it and renames it over path,
// then opens it for appending.
func createState(path string, st *state) (*stateFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-upload-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	w := bufio.NewWriter(tmp)
	enc := json.NewEncoder(w)
	h := st.h
	err = enc.Encode(line{H: &h})
	for _, p := range st.parts {
		if err == nil {
			err = enc.Encode(line{P: &p})
		}
	}
	if err == nil && len(st.blocks) > 0 {
		err = enc.Encode(line{B: encodeBlocks(st.blocks)})
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return nil, fmt.Errorf("writing the upload state: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &stateFile{path: path, f: f}, nil
}

// add appends one finished part and any newly known block hashes, as one
// write so concurrent workers never interleave.
func (s *stateFile) add(p *partRec, blocks map[int][sha1.Size]byte) error {
	b, err := json.Marshal(line{P: p, B: encodeBlocks(blocks)})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return errors.New("the upload state is closed")
	}
	if _, err := s.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("saving the upload state: %w", err)
	}
	return nil
}

func (s *stateFile) close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
}

// remove closes and deletes the state: the upload is finished or gone.
func (s *stateFile) remove() {
	if s == nil {
		return
	}
	s.close()
	os.Remove(s.path)
}
