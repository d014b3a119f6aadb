package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readmeTable returns the rows (cells without backticks) of the README table
// whose header row starts with "| first |".
func readmeTable(t *testing.T, first string) [][]string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(readme), "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "| "+first+" |") })
	if start < 0 {
		t.Fatalf("README has no table headed %q", first)
	}
	var rows [][]string
	for _, l := range lines[start+2:] {
		if !strings.HasPrefix(l, "|") {
			break
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(l, "|"), " | ") {
			cells = append(cells, strings.Trim(strings.TrimSpace(c), "`"))
		}
		rows = append(rows, cells)
	}
	return rows
}

// rootConsts returns the values of the root package's string constants whose
// names match re, read from the source so that a new one cannot be missed.
func rootConsts(t *testing.T, re string) []string {
	t.Helper()
	//lint:ignore SA1019 the root package has no build-tagged files; a plain parse of its directory is enough
	pkgs, err := parser.ParseDir(token.NewFileSet(), "..", func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(re)
	var out []string
	for _, f := range pkgs["juta"].Files {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range vs.Names {
				if i >= len(vs.Values) {
					break
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && name.MatchString(id.Name) && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					out = append(out, v)
				}
			}
			return true
		})
	}
	slices.Sort(out)
	return out
}

func firstCells(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[0])
	}
	slices.Sort(out)
	return out
}

func TestReadmeListsEveryErrorCodeWithItsStatus(t *testing.T) {
	rows := readmeTable(t, "code")
	codes := slices.Clone(problemCodes)
	slices.Sort(codes)
	if got := firstCells(rows); !slices.Equal(got, codes) {
		t.Errorf("README codes %v, the code has %v", got, codes)
	}
	if all := rootConsts(t, `^E[A-Z]+$`); len(slices.DeleteFunc(all, func(c string) bool { return slices.Contains(codes, c) })) > 0 {
		t.Errorf("root error codes missing from problemCodes: %v", all)
	}
	for _, r := range rows {
		if want := strconv.Itoa(statusOf(r[0])); r[1] != want {
			t.Errorf("README says %s is %s, statusOf says %s", r[0], r[1], want)
		}
	}
}

func TestReadmeListsEverySessionStateAndReason(t *testing.T) {
	if got, want := firstCells(readmeTable(t, "state")), rootConsts(t, `^State[A-Z]`); !slices.Equal(got, want) {
		t.Errorf("README states %v, the code has %v", got, want)
	}
	if got, want := firstCells(readmeTable(t, "reason")), rootConsts(t, `^Reason[A-Z]`); !slices.Equal(got, want) {
		t.Errorf("README reasons %v, the code has %v", got, want)
	}
}

func TestReadmeListsEveryMessageKindAndStatus(t *testing.T) {
	if got, want := firstCells(readmeTable(t, "kind")), slices.Sorted(slices.Values(messageKinds())); !slices.Equal(got, want) {
		t.Errorf("README kinds %v, the code has %v", got, want)
	}
	var events []string
	for _, v := range eventVariants {
		if v.name == "MessageEvent" {
			events = slices.Clone(v.types[1:]) // sorted below: the table must stay as it is
		}
	}
	slices.Sort(events)
	if got := firstCells(readmeTable(t, "event")); !slices.Equal(got, events) {
		t.Errorf("README message change events %v, the code has %v", got, events)
	}
}
