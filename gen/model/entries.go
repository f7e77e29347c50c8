package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winqos/winqos/gen/diag"
)

// parseEntries reads a spec YAML file that is a list of entries (- func:
// ...) into values of T, as observed.yaml and buffers.yaml are written.
// Every problem names the file and line: a document that is not a list, an
// entry that is not a mapping, a key not in keys, a key of required that is
// missing, empty or null. check sees each decoded entry with its line, to
// record its position and report what else is wrong with it.
func parseEntries[T any](file string, src []byte, keys, required []string, check func(e *T, line int, errs *diag.List)) ([]T, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	list := root.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, &diag.Error{File: file, Line: list.Line, Msg: "expected a list of entries (- func: ...)"}
	}
	known := make(map[string]bool, len(keys))
	for _, k := range keys {
		known[k] = true
	}
	errs := diag.List{File: file}
	var out []T
	for _, n := range list.Content {
		if n.Kind != yaml.MappingNode {
			errs.Add(n.Line, "expected an entry with %s", strings.Join(required, ", "))
			continue
		}
		set := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if !known[k.Value] {
				errs.Add(k.Line, "unknown key %q; expected one of %s", k.Value, strings.Join(keys, ", "))
			}
			set[k.Value] = v.Tag != "!!null" && v.Value != ""
		}
		var e T
		if err := n.Decode(&e); err != nil {
			errs.Add(n.Line, "%v", err)
			continue
		}
		for _, k := range required {
			if !set[k] {
				errs.Add(n.Line, "entry has no %s", k)
			}
		}
		check(&e, n.Line, &errs)
		out = append(out, e)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// loadEntries reads dir's file of entries (observed.yaml, buffers.yaml), when
// there is one, with parse, and cross-checks the entries with check.
func loadEntries[T any](dir, name string, parse func(file string, src []byte) ([]T, error), check func([]T) ([]T, error)) ([]T, error) {
	path := filepath.Join(dir, name)
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	entries, err := parse(path, src)
	if err != nil {
		return nil, err
	}
	return check(entries)
}
