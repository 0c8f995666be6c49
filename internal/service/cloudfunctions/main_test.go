package cloudfunctions_test

import (
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
)

// TestMain refuses to run without TF_ACC unless -short is given (see
// acctest.Main), so that the acceptance tests never skip unnoticed.
func TestMain(m *testing.M) { acctest.Main(m) }
