package openapicompare

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pactledger/pactledger/domain"
)

// largeSpec generates an OpenAPI 3.0 document with the given number of
// paths; each has a GET with an integer path parameter, a query parameter
// and a response schema built from $ref'd components and allOf, and a POST
// with a required request body.
func largeSpec(paths int) []byte {
	p := map[string]any{}
	schemas := map[string]any{
		"Audit": map[string]any{"type": "object", "properties": map[string]any{
			"createdAt": map[string]any{"type": "string", "format": "date-time"},
			"createdBy": map[string]any{"type": "string"},
		}},
	}
	for i := 0; i < paths; i++ {
		name := fmt.Sprintf("Resource%d", i)
		schemas[name] = map[string]any{"allOf": []any{
			map[string]any{"$ref": "#/components/schemas/Audit"},
			map[string]any{"type": "object", "required": []any{"id", "name"}, "properties": map[string]any{
				"id":     map[string]any{"type": "integer", "format": "int64"},
				"name":   map[string]any{"type": "string", "minLength": 1},
				"status": map[string]any{"type": "string", "enum": []any{"active", "retired"}},
				"tags":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
				"owner": map[string]any{"type": "object", "nullable": true, "properties": map[string]any{
					"email": map[string]any{"type": "string", "format": "email"},
				}},
			}},
		}}
		ref := map[string]any{"$ref": "#/components/schemas/" + name}
		p[fmt.Sprintf("/resources%d/{id}", i)] = map[string]any{
			"get": map[string]any{
				"parameters": []any{
					map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "integer"}},
					map[string]any{"name": "verbose", "in": "query", "schema": map[string]any{"type": "boolean"}},
				},
				"responses": map[string]any{
					"200": map[string]any{"description": "ok", "content": map[string]any{"application/json": map[string]any{"schema": ref}}},
					"404": map[string]any{"description": "missing"},
				},
			},
		}
		p[fmt.Sprintf("/resources%d", i)] = map[string]any{
			"post": map[string]any{
				"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref}}},
				"responses": map[string]any{
					"201": map[string]any{"description": "created", "content": map[string]any{"application/json": map[string]any{"schema": ref}}},
				},
			},
		}
	}
	doc := map[string]any{
		"openapi":    "3.0.3",
		"info":       map[string]any{"title": "large", "version": "1"},
		"paths":      p,
		"components": map[string]any{"schemas": schemas},
	}
	b, _ := json.Marshal(doc)
	return b
}

// largePact generates a V3 pact with n interactions spread over the paths
// of largeSpec, all compatible with it.
func largePact(n, paths int) []byte {
	var interactions []any
	for i := 0; i < n; i++ {
		r := i % paths
		body := map[string]any{"id": i, "name": fmt.Sprintf("thing %d", i), "status": "active",
			"tags": []any{"a", "b"}, "createdAt": "2026-01-02T03:04:05Z", "owner": map[string]any{"email": "a@example.com"}}
		if i%2 == 0 {
			interactions = append(interactions, map[string]any{
				"description": fmt.Sprintf("get %d", i),
				"request": map[string]any{"method": "GET", "path": fmt.Sprintf("/resources%d/%d", r, i),
					"query": map[string]any{"verbose": []any{"true"}}, "headers": map[string]any{"Accept": "application/json"}},
				"response": map[string]any{"status": 200, "headers": map[string]any{"Content-Type": "application/json"}, "body": body},
			})
		} else {
			interactions = append(interactions, map[string]any{
				"description": fmt.Sprintf("create %d", i),
				"request": map[string]any{"method": "POST", "path": fmt.Sprintf("/resources%d", r),
					"headers": map[string]any{"Content-Type": "application/json"}, "body": body},
				"response": map[string]any{"status": 201, "headers": map[string]any{"Content-Type": "application/json"}, "body": body},
			})
		}
	}
	b, _ := json.Marshal(map[string]any{
		"consumer":     map[string]any{"name": "c"},
		"provider":     map[string]any{"name": "p"},
		"interactions": interactions,
		"metadata":     map[string]any{"pactSpecification": map[string]any{"version": "3.0.0"}},
	})
	return b
}

// BenchmarkCompareLarge compares a generated 500-interaction pact with a
// generated 100-path OpenAPI document. "cold" includes parsing the spec and
// compiling every schema (a new Comparator per iteration); "warm" reuses a
// Comparator whose cache already holds the spec.
func BenchmarkCompareLarge(b *testing.B) {
	oas, pact := largeSpec(100), largePact(500, 100)
	in := domain.ComparisonInput{PactSHA: "pact", Pact: pact, ContractSHA: "oas", Contract: oas}
	check := func(b *testing.B, out domain.ComparisonOutcome, err error) {
		if err != nil || !out.Success || len(out.Mismatches) != 0 {
			b.Fatalf("want a clean comparison, got err=%v success=%v mismatches=%d: %+v", err, out.Success, len(out.Mismatches), out.Mismatches[:min(3, len(out.Mismatches))])
		}
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			out, err := New().Compare(context.Background(), in)
			check(b, out, err)
		}
	})
	b.Run("warm", func(b *testing.B) {
		c := New()
		out, err := c.Compare(context.Background(), in)
		check(b, out, err)
		for b.Loop() {
			out, err := c.Compare(context.Background(), in)
			check(b, out, err)
		}
	})
}
