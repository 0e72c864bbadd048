package openapicompare

import (
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/message"
)

// discriminatorKeyword replaces {oneOf, discriminator} pairs before
// compiling. It gives AJV's discriminator semantics (which OPC enables):
// the tag must be a string, its value selects exactly one branch (by the
// branch's const/enum for the tag, by discriminator.mapping, or by the
// referenced schema's name), and only that branch is validated. Plain oneOf
// would reject subset bodies that match several branches.
const discriminatorKeyword = "x-pactledger-discriminator"

// convertDiscriminators rewrites every {oneOf, discriminator} schema in doc.
func convertDiscriminators(doc map[string]any) {
	walkSchemas(doc, func(m map[string]any) {
		branches, ok := m["oneOf"].([]any)
		d := obj(m["discriminator"])
		if !ok || d == nil || str(d["propertyName"]) == "" {
			return
		}
		tag := str(d["propertyName"])
		values := map[string]any{} // tag value → branch index or "$ref"
		for i, b := range branches {
			bm := obj(b)
			target := derefIn(doc, bm)
			prop := obj(obj(target["properties"])[tag])
			if c, ok := prop["const"].(string); ok {
				setIfAbsent(values, c, i)
			}
			if enum, ok := prop["enum"].([]any); ok {
				for _, e := range enum {
					if s, ok := e.(string); ok {
						setIfAbsent(values, s, i)
					}
				}
			}
		}
		for value, ref := range obj(d["mapping"]) {
			r := str(ref)
			if r == "" {
				continue
			}
			if !strings.HasPrefix(r, "#") {
				r = "#/components/schemas/" + r
			}
			for i, b := range branches {
				if str(obj(b)["$ref"]) == r {
					values[value] = i
				}
			}
		}
		for i, b := range branches {
			if ref := str(obj(b)["$ref"]); ref != "" {
				name := ref[strings.LastIndex(ref, "/")+1:]
				setIfAbsent(values, name, i)
			}
		}
		m[discriminatorKeyword] = map[string]any{"propertyName": tag, "branches": branches, "values": values}
		delete(m, "oneOf")
		delete(m, "discriminator")
	})
}

func setIfAbsent(m map[string]any, k string, v int) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

var discriminatorVocabulary = func() *jsonschema.Vocabulary {
	const url = "urn:pactledger:openapi-discriminator"
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, map[string]any{}); err != nil {
		panic(err)
	}
	meta := c.MustCompile(url)
	return &jsonschema.Vocabulary{
		URL:    url,
		Schema: meta,
		Subschemas: []jsonschema.SchemaPath{
			{jsonschema.Prop(discriminatorKeyword), jsonschema.Prop("branches"), jsonschema.AllItem{}},
		},
		Compile: compileDiscriminator,
	}
}()

type discriminator struct {
	tag     string
	byValue map[string]*jsonschema.Schema
}

func compileDiscriminator(ctx *jsonschema.CompilerContext, o map[string]any) (jsonschema.SchemaExt, error) {
	d := obj(o[discriminatorKeyword])
	if d == nil {
		return nil, nil
	}
	branches, _ := d["branches"].([]any)
	compiled := make([]*jsonschema.Schema, len(branches))
	for i := range branches {
		compiled[i] = ctx.Enqueue([]string{discriminatorKeyword, "branches", strconv.Itoa(i)})
	}
	ext := &discriminator{tag: str(d["propertyName"]), byValue: map[string]*jsonschema.Schema{}}
	for value, idx := range obj(d["values"]) {
		var i int
		switch n := idx.(type) {
		case int:
			i = n
		case float64:
			i = int(n)
		default:
			continue
		}
		if i >= 0 && i < len(compiled) {
			ext.byValue[value] = compiled[i]
		}
	}
	return ext, nil
}

func (d *discriminator) Validate(ctx *jsonschema.ValidatorContext, v any) {
	o, ok := v.(map[string]any)
	if !ok {
		return
	}
	tag, ok := o[d.tag].(string)
	if !ok {
		ctx.AddError(&discriminatorTagError{tag: d.tag})
		return
	}
	sch := d.byValue[tag]
	if sch == nil {
		ctx.AddError(&discriminatorMappingError{tag: d.tag})
		return
	}
	if err := ctx.Validate(sch, v, nil); err != nil {
		ctx.AddErr(err)
	}
}

type discriminatorTagError struct{ tag string }

func (*discriminatorTagError) KeywordPath() []string { return []string{"discriminator"} }
func (e *discriminatorTagError) LocalizedString(_ *message.Printer) string {
	return "tag " + strconv.Quote(e.tag) + " must be string"
}

type discriminatorMappingError struct{ tag string }

func (*discriminatorMappingError) KeywordPath() []string { return []string{"discriminator"} }
func (e *discriminatorMappingError) LocalizedString(_ *message.Printer) string {
	return "value of tag " + strconv.Quote(e.tag) + " must be in oneOf"
}
