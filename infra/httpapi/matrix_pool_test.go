package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// TestPooledAnswersLeakNothing asks matrix and can-i-deploy questions of
// different sizes, one after another in two orders and then concurrently:
// the handlers answer into pooled queries.Answers, so every body must equal
// the one the same question got first (nothing of an earlier answer shows
// in a later one, and no answer is written while another is rendered).
func TestPooledAnswersLeakNothing(t *testing.T) {
	b := newBroker(t)
	for _, v := range []string{"1", "2", "3"} {
		b.publish(200, "Foo", v, pactDoc("Foo", "Bar", interaction("hello "+v, "/hello", 200)), map[string]any{"branch": "main"})
		b.publish(200, "Foo", v, pactDoc("Foo", "Baz", interaction("hi", "/hi", 200)), nil)
	}
	for _, v := range []string{"10", "11", "12"} {
		b.version("Bar", v)
		b.deploy("Bar", v, "production", "instance-"+v)
		b.verify("Foo", "1", "Bar", v, v != "11")
	}
	b.version("Baz", "7")
	b.deploy("Baz", "7", "production", nil)
	b.deploy("Foo", "2", "test", nil)
	paths := []string{
		"/can-i-deploy?pacticipant=Foo&version=1&environment=production",
		"/can-i-deploy?pacticipant=Foo&version=9&environment=production",
		"/can-i-deploy?pacticipant=Bar&version=10&environment=test",
		"/can-i-deploy?pacticipant=Foo&version=2&environment=production&ignore[]=Baz&ignore[]=Nobody",
		"/matrix?q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cvpv",
		"/matrix?q[][pacticipant]=Foo",
	}
	first := make([]string, len(paths))
	for i, p := range paths {
		first[i] = b.get(p).must(t, 200).raw
	}
	if slices.Contains(first[1:], first[0]) {
		t.Fatal("two questions got the same answer: the test would prove nothing")
	}
	check := func(i int, body string) error {
		if body != first[i] {
			return fmt.Errorf("GET %s answered\n%s\nafter\n%s", paths[i], body, first[i])
		}
		return nil
	}
	for range 2 {
		for i := len(paths) - 1; i >= 0; i-- {
			if err := check(i, b.get(paths[i]).must(t, 200).raw); err != nil {
				t.Fatal(err)
			}
		}
	}
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 20 * len(paths) {
				i := (g + k) % len(paths)
				res, err := http.Get(b.url + paths[i])
				if err != nil {
					errs <- err
					return
				}
				raw, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err == nil {
					err = check(i, string(raw))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
