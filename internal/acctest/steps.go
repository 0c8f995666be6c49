package acctest

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// ConfigCompose joins the blocks of a test configuration after a terraform
// block that declares the provider's source ("ncplabs/ncp").
// terraform-plugin-testing adds that block to the configuration of plan and
// apply steps by itself, but not to that of import steps, whose working
// directory would then look for hashicorp/ncp; "ncplabs/ncp" resolves to
// the in-process provider under both OpenTofu (registry.opentofu.org) and
// Terraform.
func ConfigCompose(blocks ...string) string {
	return tofucli.Header + strings.Join(blocks, "")
}

// ErrorPattern matches an error message containing the phrases in order,
// anything between them, whatever the line wrapping of the diagnostics
// output: the words of a phrase may be separated by any white space (the
// CLIs wrap long diagnostics). Everything else is matched literally.
func ErrorPattern(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		if pattern, ok := strings.CutPrefix(p, oneOfMark); ok {
			parts[i] = pattern
			continue
		}
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(strings.Join(parts, `[\s\S]*`))
}

// OneOf is a phrase for ErrorPattern that matches any of phrases, as
// ErrorPattern matches each (the words of a phrase separated by any white
// space): for a message that differs between NCP and ncplocal, or between
// versions of ncplocal.
func OneOf(phrases ...string) string {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return oneOfMark + "(?:" + strings.Join(parts, "|") + ")"
}

// oneOfMark marks a phrase OneOf has already turned into a pattern.
const oneOfMark = "\x00"

// ImportStep imports the resource at address with `terraform import` and
// verifies the imported state against the state of the previous step
// (ImportStateVerify). id is the import ID; "" imports by the ID in state.
// config is the step's configuration; "" reuses the previous step's, and an
// explicit one must declare the provider's source (see ConfigCompose).
func ImportStep(config, address, id string) resource.TestStep {
	return resource.TestStep{
		Config:            config,
		ResourceName:      address,
		ImportState:       true,
		ImportStateId:     id,
		ImportStateVerify: true,
	}
}

// ImportBlockStep imports the resource at address with an import block
// (same config and id as ImportStep); checks run on the import plan before
// it is applied.
func ImportBlockStep(config, address, id string, checks ...plancheck.PlanCheck) resource.TestStep {
	return resource.TestStep{
		Config:          config,
		ResourceName:    address,
		ImportState:     true,
		ImportStateKind: resource.ImportBlockWithID,
		ImportStateId:   id,
		ImportPlanChecks: resource.ImportPlanChecks{
			PreApply: checks,
		},
	}
}

// ImportErrorStep imports the resource at address by id with `terraform
// import` (config as for ImportStep) and expects the import to fail with
// an error matching want.
func ImportErrorStep(config, address, id string, want *regexp.Regexp) resource.TestStep {
	return resource.TestStep{
		Config:        config,
		ResourceName:  address,
		ImportState:   true,
		ImportStateId: id,
		ExpectError:   want,
	}
}

// ParallelTest runs tc as a parallel acceptance test (resource.ParallelTest)
// against srv: PreCheck runs acctest.PreCheck, and the provider factories
// are ProviderFactories(srv), unless tc sets its own.
func ParallelTest(t *testing.T, srv *ncplocal.Server, tc resource.TestCase) {
	t.Helper()
	if tc.PreCheck == nil {
		tc.PreCheck = func() { PreCheck(t) }
	}
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = ProviderFactories(srv)
	}
	resource.ParallelTest(t, tc)
}

// EmptyPlanAfterApply returns the plan checks of a step that runs preApply
// on the plan before it is applied and expects the plan after the apply and
// a refresh to be empty.
func EmptyPlanAfterApply(preApply ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             preApply,
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

// DisappearsSteps returns the steps of a test of an object deleted outside
// of Terraform: the first applies config and runs disappear, which deletes
// the object of the resource at address behind Terraform's back; the
// refresh after it must plan to create the resource again (and pass
// postRefresh). The second applies config again, which must create it
// (an empty plan follows), and runs check.
func DisappearsSteps(config, address string, disappear, check resource.TestCheckFunc, postRefresh ...plancheck.PlanCheck) []resource.TestStep {
	return []resource.TestStep{
		{
			Config:             config,
			Check:              disappear,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: append([]plancheck.PlanCheck{
					plancheck.ExpectNonEmptyPlan(),
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate),
				}, postRefresh...),
			},
		},
		{
			Config:           config,
			ConfigPlanChecks: EmptyPlanAfterApply(plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate)),
			Check:            check,
		},
	}
}
