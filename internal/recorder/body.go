package recorder

import (
	"bytes"
	"io"
	"sync"
)

// Body wraps a response body so that a diagnosis is made from what the
// caller reads, when the caller is done with it: at the end of the body or
// at Close, whichever comes first, once. The caller reads the same bytes,
// errors and end as without it; Body keeps a copy of at most limit bytes
// of what was read.
type Body struct {
	rc    io.ReadCloser
	limit int
	mu    sync.Mutex
	read  bytes.Buffer
	done  func(read []byte)
	once  sync.Once
}

// NewBody returns a Body over rc that calls done, once, with the first
// limit bytes the caller read, when the caller has read to the end or
// closed it.
func NewBody(rc io.ReadCloser, limit int, done func(read []byte)) *Body {
	return &Body{rc: rc, limit: limit, done: done}
}

// Read reads from the wrapped body.
func (b *Body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.mu.Lock()
	if room := b.limit - b.read.Len(); room > 0 && n > 0 {
		b.read.Write(p[:min(n, room)])
	}
	b.mu.Unlock()
	if err == io.EOF {
		b.finish()
	}
	return n, err
}

// Close closes the wrapped body and returns its error.
func (b *Body) Close() error {
	err := b.rc.Close()
	b.finish()
	return err
}

func (b *Body) finish() {
	b.once.Do(func() {
		b.mu.Lock()
		read := bytes.Clone(b.read.Bytes())
		b.mu.Unlock()
		b.done(read)
	})
}
