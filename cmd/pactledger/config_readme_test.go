package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestREADMEConfigurationTableListsEverySetting keeps the README true: every
// serve setting has a row in the table of its Configuration section, naming the flag and
// every environment variable that sets it.
func TestREADMEConfigurationTableListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Configuration\n")
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "| `--") {
			name := strings.TrimPrefix(strings.SplitN(line, "`", 3)[1], "--")
			rows[name] = line
		}
	}
	c, err := parseServeConfig(nil, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range c.settings.list {
		row, ok := rows[st.name]
		if !ok {
			t.Errorf("README has no row for --%s; add:\n%s", st.name, readmeRow(st))
			continue
		}
		for _, env := range st.envs {
			if !strings.Contains(row, "`"+env+"`") {
				t.Errorf("README's row for --%s does not name %s", st.name, env)
			}
		}
	}
}

func readmeRow(st *setting) string {
	envs := make([]string, len(st.envs))
	for i, e := range st.envs {
		envs[i] = "`" + e + "`"
	}
	def := st.value.String()
	if def == "" || st.secret {
		def = " "
	} else {
		def = "`" + def + "`"
	}
	return fmt.Sprintf("| `--%s` | %s | %s | %s |", st.name, strings.Join(envs, ", "), def, st.usage)
}
