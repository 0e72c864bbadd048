package openapicompare

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// errSpec marks a provider contract that cannot be compared at all.
var errSpec = errors.New("malformed OpenAPI file")

// spec is a parsed provider contract, ready for comparisons: the OpenAPI 3
// document as a raw JSON tree (Swagger 2.0 converted), its router, and the
// schemas compiled so far. It is immutable after loadSpec except for the
// compiled-schema cache, which is safe for concurrent use.
type spec struct {
	root     map[string]any
	swagger2 bool
	router   *router
	config   config
	schemes  map[string]any
	schemas  *schemaCache
}

// operation is one method of one path, with OPC's pre-processing applied:
// path-level parameters merged (operation wins on name+in), Swagger 2
// consumes/produces inherited from the document, security inherited from
// the document unless the operation sets its own.
type operation struct {
	path   string // the spec's path template, e.g. /pet/{petId}
	method string // lower-case, as in the spec
	raw    map[string]any
	params []parameter
	// consumes/produces are the Swagger 2 media-type lists; nil for OAS 3,
	// whose media types come from requestBody/responses content.
	consumes []string
	produces []string
	security []any
}

type parameter struct {
	index int
	name  string
	in    string
	raw   map[string]any // dereferenced parameter object
	// collectionFormat is the Swagger 2 array format (csv, ssv, tsv,
	// pipes, multi) of the original parameter; "" for OpenAPI 3.
	collectionFormat string
}

var supportedMethods = []string{"get", "post", "put", "patch", "delete", "head", "options", "trace"}

// loadSpec parses an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML).
// YAML anchors and aliases are rejected (PactFlow does the same: they allow
// "billion laughs" documents). Errors wrap errSpec.
func loadSpec(data []byte, defaults config) (s *spec, err error) {
	defer func() {
		// The document is untrusted input: a panic in a parser or converter
		// makes it unusable, not the process.
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("%w: %v", errSpec, r)
		}
	}()
	tree, err := decodeTree(data)
	if err != nil {
		return nil, err
	}
	doc, ok := tree.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: the document is not an object", errSpec)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errSpec, err)
	}
	s = &spec{schemas: newSchemaCache(), config: defaults}
	var source map[string]any // the document the operations are read from
	switch {
	case doc["swagger"] == "2.0":
		var d2 openapi2.T
		if err := json.Unmarshal(js, &d2); err != nil {
			return nil, fmt.Errorf("%w: swagger 2.0: %v", errSpec, err)
		}
		d3, err := openapi2conv.ToV3(&d2)
		if err != nil {
			return nil, fmt.Errorf("%w: swagger 2.0 conversion: %v", errSpec, err)
		}
		converted, err := json.Marshal(d3)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errSpec, err)
		}
		if err := unmarshalNumbers(converted, &s.root); err != nil {
			return nil, fmt.Errorf("%w: %v", errSpec, err)
		}
		s.swagger2 = true
		source = doc
		s.config.basePath = strings.TrimSuffix(str(doc["basePath"]), "/")
	case strings.HasPrefix(str(doc["openapi"]), "3."):
		// Structural check only: like OPC, broken local references are
		// tolerated (kin-openapi's Loader would reject the document).
		var d3 openapi3.T
		if err := json.Unmarshal(js, &d3); err != nil {
			return nil, fmt.Errorf("%w: %v", errSpec, err)
		}
		if err := unmarshalNumbers(js, &s.root); err != nil {
			return nil, fmt.Errorf("%w: %v", errSpec, err)
		}
		source = s.root
	default:
		return nil, fmt.Errorf("%w: neither \"swagger: 2.0\" nor \"openapi: 3.x\"", errSpec)
	}
	s.config.read(obj(s.root["info"]))
	if s.swagger2 {
		s.schemes = obj(source["securityDefinitions"])
	} else {
		s.schemes = obj(obj(s.root["components"])["securitySchemes"])
	}
	ops, err := s.operations(source)
	if err != nil {
		return nil, err
	}
	s.router = newRouter(ops, s.config)
	return s, nil
}

// operations lists every operation of the document. For Swagger 2 the
// operation objects come from the converted document (so schemas and
// parameters are OpenAPI 3 shaped) while consumes/produces/security come
// from the original.
func (s *spec) operations(source map[string]any) ([]*operation, error) {
	var ops []*operation
	paths := obj(s.root["paths"])
	srcPaths := obj(source["paths"])
	globalSecurity, hasGlobalSecurity := source["security"].([]any)
	for path, rawItem := range paths {
		item := s.deref(obj(rawItem))
		srcItem := obj(srcPaths[path])
		for _, method := range supportedMethods {
			rawOp, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			op := &operation{path: path, method: method, raw: rawOp}
			op.params = s.mergeParameters(rawOp["parameters"], item["parameters"])
			srcOp := obj(srcItem[method])
			if s.swagger2 {
				for i, p := range op.params {
					op.params[i].collectionFormat = originalCollectionFormat(source, p, srcOp["parameters"], srcItem["parameters"])
				}
			}
			if s.swagger2 {
				op.consumes = mediaList(srcOp["consumes"], source["consumes"])
				op.produces = mediaList(srcOp["produces"], source["produces"])
			}
			if sec, ok := srcOp["security"].([]any); ok {
				op.security = sec
			} else if hasGlobalSecurity {
				op.security = globalSecurity
			}
			ops = append(ops, op)
		}
	}
	return ops, nil
}

// mergeParameters returns the operation's parameters followed by the
// path-level ones it does not override (same name and in), dereferenced.
func (s *spec) mergeParameters(opParams, pathParams any) []parameter {
	var out []parameter
	seen := map[string]bool{}
	for _, list := range []any{opParams, pathParams} {
		items, _ := list.([]any)
		for _, it := range items {
			p := s.deref(obj(it))
			key := str(p["name"]) + "\x00" + str(p["in"])
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, parameter{index: len(out), name: str(p["name"]), in: str(p["in"]), raw: p})
		}
	}
	return out
}

// originalCollectionFormat finds the Swagger 2 parameter's collectionFormat
// (openapi2conv has no style for tsv).
func originalCollectionFormat(source map[string]any, p parameter, lists ...any) string {
	for _, list := range lists {
		items, _ := list.([]any)
		for _, it := range items {
			orig := derefIn(source, obj(it))
			if str(orig["name"]) == p.name && str(orig["in"]) == p.in {
				return str(orig["collectionFormat"])
			}
		}
	}
	return ""
}

// mediaList returns the operation's Swagger 2 media types, else the
// document's, else an empty (non-nil) list.
func mediaList(opList, docList any) []string {
	list, ok := opList.([]any)
	if !ok {
		list, _ = docList.([]any)
	}
	out := []string{}
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// deref follows a chain of local "$ref"s ("#/components/..."); a broken or
// circular chain gives the original object.
func (s *spec) deref(o map[string]any) map[string]any {
	return derefIn(s.root, o)
}

// schemaCache holds the compiled validators of one spec, by schema id.
type schemaCache struct {
	mu    sync.Mutex
	byID  map[string]*compiled
	count int
}

func newSchemaCache() *schemaCache { return &schemaCache{byID: map[string]*compiled{}} }
