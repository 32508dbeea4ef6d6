package qasm

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// include parses include "path"; serving qelib1.inc from memory and other
// files only from Options.IncludeDir.
func (p *parser) include() {
	kw := p.tok
	p.next()
	st := p.expect(tString, "a file name in double quotes")
	p.expectSemi()
	name := string(p.lx.src[st.start+1 : st.end-1])
	if name == "qelib1.inc" {
		p.includeQelib1(kw)
		return
	}
	path := p.resolveInclude(name, st)
	for i, f := range p.includeStack {
		if f.path == path {
			var chain []string
			for _, g := range p.includeStack[i:] {
				chain = append(chain, strconv.Quote(g.name))
			}
			chain = append(chain, strconv.Quote(name))
			p.failTok(st, "include cycle: %s", strings.Join(chain, " -> "))
		}
	}
	if len(p.includeStack) >= maxIncludeDepth {
		p.failTok(st, "includes nested more than %d deep", maxIncludeDepth)
	}
	src := p.readInclude(path, name, st)

	// Parse the included file with its own lexer, then resume this one.
	lx, tok, prev, file := p.lx, p.tok, p.prev, p.file
	p.includeStack = append(p.includeStack, includeFrame{path: path, name: name})
	p.inInclude++
	p.parseFile(src, name, false)
	p.inInclude--
	p.includeStack = p.includeStack[:len(p.includeStack)-1]
	p.lx, p.tok, p.prev, p.file = lx, tok, prev, file
}

// resolveInclude checks an include path and returns the file's real path.
// Messages never show the server's directory, only the path as written.
func (p *parser) resolveInclude(name string, st token) string {
	q := strconv.Quote(name)
	if p.opt.IncludeDir == "" {
		p.failTok(st, "cannot include %s: only \"qelib1.inc\" may be included", q)
	}
	if name == "" {
		p.failTok(st, "empty include path")
	}
	for _, r := range name {
		if r < ' ' || r == 0x7f {
			p.failTok(st, "include path %s contains a control character", q)
		}
	}
	if filepath.IsAbs(name) || filepath.VolumeName(name) != "" || name[0] == '/' || name[0] == '\\' {
		p.failTok(st, "include path %s must be relative", q)
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			p.failTok(st, "include path %s must not contain '..'", q)
		}
	}
	if p.includeRoot == "" {
		root, err := filepath.Abs(p.opt.IncludeDir)
		if err == nil {
			root, err = filepath.EvalSymlinks(root)
		}
		if err != nil {
			p.failTok(st, "cannot include %s: include directory is not available", q)
		}
		p.includeRoot = root
	}
	real, err := filepath.EvalSymlinks(filepath.Join(p.includeRoot, filepath.FromSlash(name)))
	if err != nil {
		p.failTok(st, "cannot include %s: no such file", q)
	}
	rel, err := filepath.Rel(p.includeRoot, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		p.failTok(st, "cannot include %s: it resolves outside the include directory", q)
	}
	return real
}

// readInclude reads a regular file within the total include size budget.
func (p *parser) readInclude(path, name string, st token) []byte {
	q := strconv.Quote(name)
	fi, err := os.Stat(path)
	if err != nil {
		p.failTok(st, "cannot include %s: no such file", q)
	}
	if !fi.Mode().IsRegular() {
		p.failTok(st, "cannot include %s: not a regular file", q)
	}
	f, err := os.Open(path)
	if err != nil {
		p.failTok(st, "cannot include %s: cannot open file", q)
	}
	defer f.Close()
	left := maxIncludeBytes - p.includeBytes
	src, err := io.ReadAll(io.LimitReader(f, left+1))
	if err != nil {
		p.failTok(st, "cannot include %s: read error", q)
	}
	if int64(len(src)) > left {
		p.failTok(st, "cannot include %s: included files exceed %d MiB in total", q, maxIncludeBytes>>20)
	}
	p.includeBytes += int64(len(src))
	return src
}
