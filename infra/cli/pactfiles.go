package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// pactContract is what is published for one (consumer, provider) pair.
type pactContract struct {
	consumer, provider string
	content            []byte // the file as it is; several files merged into one document
}

// pactFile is one loaded pact file.
type pactFile struct {
	path string
	raw  []byte
	doc  map[string]any
}

// loadPacts reads every input (a file, a directory's *.json files, or a
// glob pattern) and groups the pacts by (consumer, provider), in the order
// first seen. Several files for one pair are merged into one pact: the
// first file with the interactions (and messages) of all of them.
func loadPacts(inputs []string) ([]pactContract, error) {
	var paths, problems []string
	seen := map[string]bool{}
	addPath := func(path string) {
		if clean := filepath.Clean(path); !seen[clean] {
			seen[clean] = true
			paths = append(paths, path)
		}
	}
	for _, in := range inputs {
		info, err := os.Stat(in)
		switch {
		case err == nil && info.IsDir():
			entries, err := os.ReadDir(in)
			if err != nil {
				problems = append(problems, fmt.Sprintf("'%s' - %v", in, err))
				continue
			}
			for _, e := range entries {
				path := filepath.Join(in, e.Name())
				if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && filepath.Ext(path) == ".json" {
					addPath(path)
				}
			}
		case err == nil:
			addPath(in)
		default:
			matches, gerr := filepath.Glob(in)
			if gerr != nil {
				problems = append(problems, fmt.Sprintf("'%s' - %v", in, gerr))
				continue
			}
			found := false
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
					addPath(m)
					found = true
				}
			}
			if !found {
				problems = append(problems, fmt.Sprintf("'%s' - no such file, directory or matching glob", in))
			}
		}
	}
	var files []pactFile
	for _, path := range paths {
		f, err := readPact(path)
		if err != nil {
			problems = append(problems, fmt.Sprintf("'%s' - %v", path, err))
			continue
		}
		files = append(files, f)
	}
	if len(problems) > 0 {
		return nil, &reportError{"❌ One or more pact files could not be loaded:\n   " + strings.Join(problems, "\n   ") + "\n"}
	}
	if len(files) == 0 {
		return nil, errors.New("No pact files found to publish")
	}
	return groupPacts(files)
}

// readPact reads a pact file: a JSON object naming its consumer and provider.
func readPact(path string) (pactFile, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return pactFile{}, err
	}
	v, err := decodeJSON(raw)
	if err != nil {
		return pactFile{}, fmt.Errorf("file is not JSON: %w", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return pactFile{}, errors.New("not a pact: the file is not a JSON object")
	}
	for _, role := range []string{"consumer", "provider"} {
		if name, _ := at(doc, role, "name").(string); strings.TrimSpace(name) == "" {
			return pactFile{}, fmt.Errorf("not a pact: no %s name", role)
		}
	}
	return pactFile{path: path, raw: raw, doc: doc}, nil
}

// groupPacts makes one contract per (consumer, provider) pair.
func groupPacts(files []pactFile) ([]pactContract, error) {
	type pair struct{ consumer, provider string }
	var order []pair
	byPair := map[pair][]pactFile{}
	for _, f := range files {
		k := pair{str(f.doc, "consumer", "name"), str(f.doc, "provider", "name")}
		if _, ok := byPair[k]; !ok {
			order = append(order, k)
		}
		byPair[k] = append(byPair[k], f)
	}
	var out []pactContract
	for _, k := range order {
		group := byPair[k]
		content := group[0].raw
		if len(group) > 1 {
			merged, err := mergePacts(group)
			if err != nil {
				return nil, err
			}
			content = merged
		}
		out = append(out, pactContract{consumer: k.consumer, provider: k.provider, content: content})
	}
	return out, nil
}

// mergePacts is the first pact with the interactions and messages of all
// of them appended, as compact JSON.
func mergePacts(group []pactFile) ([]byte, error) {
	merged := map[string]any{}
	for k, v := range group[0].doc {
		merged[k] = v
	}
	for _, key := range []string{"interactions", "messages"} {
		var all []any
		present := false
		for _, f := range group {
			if items, ok := f.doc[key].([]any); ok {
				all, present = append(all, items...), true
			}
		}
		if present {
			merged[key] = all
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(merged); err != nil {
		return nil, fmt.Errorf("merge the pacts of %s: %w", group[0].path, err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
