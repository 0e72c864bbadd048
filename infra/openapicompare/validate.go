package openapicompare

import (
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// compiled is one transformed, compiled schema: doc is the transformed tree
// (used for type coercion of parameters and for spec values in results).
type compiled struct {
	doc    map[string]any
	schema *jsonschema.Schema
	err    error
}

// schemaError is one validation failure in AJV's terms: where in the value,
// which schema keyword (dotted path inside the schema document), and an
// AJV-style message ("must be object", "must NOT have additional
// properties - colour").
type schemaError struct {
	instance []string
	keyword  string
	message  string
}

// compile returns the validator for id, building and compiling it on first
// use. build returns the transformed schema tree; the cache owns it.
func (c *schemaCache) compile(id string, build func() map[string]any) *compiled {
	c.mu.Lock()
	defer c.mu.Unlock()
	if x, ok := c.byID[id]; ok {
		return x
	}
	doc := build()
	convertDiscriminators(doc)
	walkSchemas(doc, sanitize)
	x := &compiled{doc: doc}
	comp := jsonschema.NewCompiler()
	comp.DefaultDraft(jsonschema.Draft2019)
	comp.AssertFormat()
	comp.AssertVocabs()
	comp.RegisterVocabulary(discriminatorVocabulary)
	c.count++
	loc := "mem:///schema" + strconv.Itoa(c.count) + ".json"
	if err := comp.AddResource(loc, doc); err != nil {
		x.err = err
	} else if x.schema, err = comp.Compile(loc); err != nil {
		x.err = err
	}
	c.byID[id] = x
	return x
}

// validate checks v and returns the failures, flattened AJV-style (one per
// missing property, one per additional property, branch errors before the
// anyOf/oneOf error).
func (x *compiled) validate(v any) []schemaError {
	if x.schema == nil {
		return nil
	}
	err := x.schema.Validate(v)
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []schemaError{{message: err.Error()}}
	}
	var out []schemaError
	flattenErrors(verr, "", &out)
	return out
}

// flattenErrors appends e's failures to out. parentURL is the schema URL of
// the enclosing error: entering a "then"/"else" subschema adds AJV's
// `must match "then" schema` after the subschema's own failures.
func flattenErrors(e *jsonschema.ValidationError, parentURL string, out *[]schemaError) {
	if e.SchemaURL != parentURL {
		if ptr := schemaPointer(e.SchemaURL); len(ptr) > 0 && (ptr[len(ptr)-1] == "then" || ptr[len(ptr)-1] == "else") {
			defer func() {
				*out = append(*out, schemaError{
					instance: e.InstanceLocation,
					keyword:  strings.Join(append(ptr[:len(ptr)-1:len(ptr)-1], "if"), "."),
					message:  fmt.Sprintf("must match \"%s\" schema", ptr[len(ptr)-1]),
				})
			}()
		}
	}
	switch e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			flattenErrors(c, e.SchemaURL, out)
		}
		return
	case *kind.AnyOf, *kind.OneOf:
		for _, c := range e.Causes {
			flattenErrors(c, e.SchemaURL, out)
		}
	}
	base := schemaPointer(e.SchemaURL)
	kw := e.ErrorKind.KeywordPath()
	if _, isNot := e.ErrorKind.(*kind.Not); isNot {
		kw = []string{"not"}
	}
	keyword := strings.Join(append(base, kw...), ".")
	for _, msg := range ajvMessages(e.ErrorKind) {
		*out = append(*out, schemaError{instance: e.InstanceLocation, keyword: keyword, message: msg})
	}
}

// schemaPointer returns the JSON pointer tokens of a schema URL's fragment.
func schemaPointer(u string) []string {
	_, frag, ok := strings.Cut(u, "#")
	if !ok || frag == "" || frag == "/" {
		return nil
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	toks := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}

// ajvMessages renders an error kind with AJV's English messages, which is
// what PactFlow users see.
func ajvMessages(k jsonschema.ErrorKind) []string {
	switch e := k.(type) {
	case *kind.Type:
		return []string{"must be " + strings.Join(e.Want, ",")}
	case *kind.Required:
		out := make([]string, len(e.Missing))
		for i, m := range e.Missing {
			out[i] = fmt.Sprintf("must have required property '%s'", m)
		}
		return out
	case *kind.AdditionalProperties:
		out := make([]string, len(e.Properties))
		for i, p := range e.Properties {
			out[i] = "must NOT have additional properties - " + p
		}
		return out
	case *kind.Enum:
		return []string{"must be equal to one of the allowed values"}
	case *kind.Const:
		return []string{"must be equal to constant"}
	case *kind.Format:
		return []string{fmt.Sprintf("must match format \"%s\"", e.Want)}
	case *kind.Pattern:
		return []string{fmt.Sprintf("must match pattern \"%s\"", e.Want)}
	case *kind.MinLength:
		return []string{fmt.Sprintf("must NOT have fewer than %d characters", e.Want)}
	case *kind.MaxLength:
		return []string{fmt.Sprintf("must NOT have more than %d characters", e.Want)}
	case *kind.MinItems:
		return []string{fmt.Sprintf("must NOT have fewer than %d items", e.Want)}
	case *kind.MaxItems:
		return []string{fmt.Sprintf("must NOT have more than %d items", e.Want)}
	case *kind.MinProperties:
		return []string{fmt.Sprintf("must NOT have fewer than %d properties", e.Want)}
	case *kind.MaxProperties:
		return []string{fmt.Sprintf("must NOT have more than %d properties", e.Want)}
	case *kind.UniqueItems:
		return []string{fmt.Sprintf("must NOT have duplicate items (items ## %d and %d are identical)", e.Duplicates[1], e.Duplicates[0])}
	case *kind.Minimum:
		return []string{"must be >= " + ratString(e.Want)}
	case *kind.Maximum:
		return []string{"must be <= " + ratString(e.Want)}
	case *kind.ExclusiveMinimum:
		return []string{"must be > " + ratString(e.Want)}
	case *kind.ExclusiveMaximum:
		return []string{"must be < " + ratString(e.Want)}
	case *kind.MultipleOf:
		return []string{"must be multiple of " + ratString(e.Want)}
	case *kind.AnyOf:
		return []string{"must match a schema in anyOf"}
	case *kind.OneOf:
		return []string{"must match exactly one schema in oneOf"}
	case *kind.Not:
		return []string{"must NOT be valid"}
	case *kind.FalseSchema:
		return []string{"boolean schema is false"}
	case *kind.DependentRequired:
		return []string{fmt.Sprintf("must have properties %s when property %s is present", strings.Join(e.Missing, ", "), e.Prop)}
	case *kind.PropertyNames:
		return []string{"property name must be valid"}
	case *kind.Contains, *kind.MinContains:
		return []string{"must contain at least 1 valid item(s)"}
	case *discriminatorTagError:
		return []string{fmt.Sprintf("tag \"%s\" must be string", e.tag)}
	case *discriminatorMappingError:
		return []string{fmt.Sprintf("value of tag \"%s\" must be in oneOf", e.tag)}
	default:
		return []string{k.LocalizedString(englishPrinter)}
	}
}

var englishPrinter = message.NewPrinter(language.English)

func ratString(r *big.Rat) string {
	if r == nil {
		return ""
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// instanceValue returns the part of v at the instance location.
func instanceValue(v any, loc []string) any {
	cur := v
	for _, tok := range loc {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}
