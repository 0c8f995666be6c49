package globaledge_test

import (
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
)

// TestMain refuses to run without TF_ACC unless -short is given.
func TestMain(m *testing.M) { acctest.Main(m) }
