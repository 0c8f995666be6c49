package acctest

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

// NoAccMessage is what Main prints when a package with acceptance tests is
// tested without TF_ACC and without -short.
const NoAccMessage = "acceptance tests need TF_ACC=1 and TF_ACC_TERRAFORM_PATH; " +
	"run make test, or go test -short for unit tests only"

// Main is the TestMain of every package with acceptance tests:
//
//	func TestMain(m *testing.M) { acctest.Main(m) }
//
// terraform-plugin-testing skips acceptance tests when TF_ACC is unset, so a
// plain `go test ./...` would report ok for packages whose acceptance tests
// never ran. Main refuses that: without TF_ACC it prints NoAccMessage and
// exits 1, unless -short is given. -short is the explicit opt-out: the unit
// tests run and the acceptance tests skip, as terraform-plugin-testing
// skips them without TF_ACC, and so do resource.UnitTest cases that run
// Terraform (PreCheck skips them); with TF_ACC set, -short changes nothing
// for them. With TF_ACC set, Main just runs the tests; PreCheck then checks
// TF_ACC_TERRAFORM_PATH in each acceptance test. Listing the tests (-list)
// is always allowed.
func Main(m *testing.M) {
	flag.Parse() // testing.Short needs the flags; m.Run does not parse them again
	listOnly := false
	if f := flag.Lookup("test.list"); f != nil {
		listOnly = f.Value.String() != ""
	}
	if !AccAllowed(os.Getenv("TF_ACC"), testing.Short(), listOnly) {
		fmt.Fprintln(os.Stderr, NoAccMessage)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// AccAllowed reports whether the tests of a package with acceptance tests
// may run, given the value of TF_ACC, -short and -list: when TF_ACC is set
// (terraform-plugin-testing runs acceptance tests for any non-empty value),
// when -short opts out of the acceptance tests, or when the tests are only
// listed.
func AccAllowed(tfAcc string, short, listOnly bool) bool {
	return tfAcc != "" || short || listOnly
}
