package objectstorage_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/objectstorage"
)

func TestAccObjectStorageBucket_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name := bucketName("basic")

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: testAccBucketConfig(name),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, resourceAddress),
					testAccCheckCreationDateMatchesListing(conn, resourceAddress),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("id"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("bucket_name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("creation_date"), knownvalue.StringRegexp(creationDatePattern)),
				},
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionCreate)),
			},
		},
	})
}

func TestAccObjectStorageBucket_update(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name, renamed := bucketName("update"), bucketName("renamed")
	sameCreationDate := statecheck.CompareValue(compare.ValuesSame())
	sameID := statecheck.CompareValue(compare.ValuesSame())

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: testAccBucketConfigForceDestroy(name, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
					sameCreationDate.AddStateValue(resourceAddress, tfjsonpath.New("creation_date")),
					sameID.AddStateValue(resourceAddress, tfjsonpath.New("id")),
				},
			},
			{
				// force_destroy is state-only: updated in place, bucket kept.
				Config:           testAccBucketConfigForceDestroy(name, true),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionUpdate)),
				Check:            testAccCheckBucketExists(conn, resourceAddress),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("force_destroy"), knownvalue.Bool(true)),
					sameCreationDate.AddStateValue(resourceAddress, tfjsonpath.New("creation_date")),
					sameID.AddStateValue(resourceAddress, tfjsonpath.New("id")),
				},
			},
			{
				// A new name is a new bucket.
				Config:           testAccBucketConfigForceDestroy(renamed, true),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionReplace)),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, resourceAddress),
					testAccCheckBucketGone(conn, name),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("id"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("bucket_name"), knownvalue.StringExact(renamed)),
					statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("creation_date"), knownvalue.StringRegexp(creationDatePattern)),
				},
			},
		},
	})
}

func TestAccObjectStorageBucket_import(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name := bucketName("import")

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				// The bucket the import steps import.
				Config:            testAccBucketConfig(name),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionCreate)),
				ConfigStateChecks: bucketStateChecks(name, false),
				Check:             testAccCheckBucketExists(conn, resourceAddress),
			},
			acctest.ImportStep("", resourceAddress, name),
			acctest.ImportBlockStep("", resourceAddress, name,
				plancheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("bucket_name"), knownvalue.StringExact(name)),
				plancheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("force_destroy"), knownvalue.Bool(false)),
				plancheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("creation_date"), knownvalue.StringRegexp(creationDatePattern)),
			),
		},
	})
}

// TestAccObjectStorageBucket_importForceDestroy imports a bucket whose
// configuration sets force_destroy: the imported state starts with false,
// which ImportStateVerify must ignore.
func TestAccObjectStorageBucket_importForceDestroy(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name := bucketName("importfd")

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				// The bucket to import, with force_destroy set in state.
				Config:            testAccBucketConfigForceDestroy(name, true),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionCreate)),
				ConfigStateChecks: bucketStateChecks(name, true),
				Check:             testAccCheckBucketExists(conn, resourceAddress),
			},
			{
				ResourceName:            resourceAddress,
				ImportState:             true,
				ImportStateId:           name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"force_destroy"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d instances, want 1", len(states))
					}
					if got := states[0].Attributes["force_destroy"]; got != "false" {
						return fmt.Errorf("imported force_destroy = %q, want false", got)
					}
					return nil
				},
			},
		},
	})
}

func TestAccObjectStorageBucket_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name := bucketName("disappears")

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: testAccBucketConfig(name),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, resourceAddress),
					testAccDeleteBucketOutOfBand(conn, name),
				),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionCreate),
					},
				},
			},
		},
	})
}

// TestAccObjectStorageBucket_forceDestroy destroys a bucket holding objects
// and an unfinished multipart upload with force_destroy set.
func TestAccObjectStorageBucket_forceDestroy(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name := bucketName("force")

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				// The bucket, then 5 objects and an unfinished upload in it.
				Config:            testAccBucketConfigForceDestroy(name, true),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionCreate)),
				ConfigStateChecks: bucketStateChecks(name, true),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, resourceAddress),
					testAccPutObjects(t, conn, name, 5),
					testAccCheckBucketHolds(t, conn, name, 5),
				),
			},
			{
				Config:  testAccBucketConfigForceDestroy(name, true),
				Destroy: true,
				Check:   testAccCheckBucketGone(conn, name),
			},
		},
	})
}

// TestAccObjectStorageBucket_notEmpty checks that destroying a bucket that
// holds objects fails without force_destroy, with an error that says how to
// fix it, and succeeds once force_destroy is set.
func TestAccObjectStorageBucket_notEmpty(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name := bucketName("notempty")
	sameCreationDate := statecheck.CompareValue(compare.ValuesSame())

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				// The bucket, then 3 objects and an unfinished upload in it.
				Config:           testAccBucketConfig(name),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionCreate)),
				ConfigStateChecks: append(bucketStateChecks(name, false),
					sameCreationDate.AddStateValue(resourceAddress, tfjsonpath.New("creation_date"))),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, resourceAddress),
					testAccPutObjects(t, conn, name, 3),
					testAccCheckBucketHolds(t, conn, name, 3),
				),
			},
			{
				// terraform-plugin-testing does not run Check after an
				// apply that failed as expected: the next steps check
				// what the failed destroy left.
				Config:  testAccBucketConfig(name),
				Destroy: true,
				ExpectError: acctest.ErrorPattern(fmt.Sprintf("Object Storage bucket %q is not empty", name),
					"set force_destroy = true, apply that change, then destroy again",
					"NCP returned error BucketNotEmpty"),
			},
			{
				// The failed destroy kept the bucket, with everything in
				// it, and its state (a refresh finds it; nothing to plan).
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, resourceAddress),
					testAccCheckCreationDateMatchesListing(conn, resourceAddress),
					testAccCheckBucketHolds(t, conn, name, 3),
				),
			},
			{
				// The same bucket, created once: force_destroy is updated
				// in place and creation_date is the one of the first step.
				Config:           testAccBucketConfigForceDestroy(name, true),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(resourceAddress, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: append(bucketStateChecks(name, true),
					sameCreationDate.AddStateValue(resourceAddress, tfjsonpath.New("creation_date"))),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, resourceAddress),
					testAccCheckBucketHolds(t, conn, name, 3),
				),
			},
		},
	})
}

func TestAccObjectStorageBucket_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	tests := []struct{ name, want string }{
		{"ab", "must be between 3 and 63 characters long (it has 2)"},
		{"My-Bucket", `"M" at position 1 is not allowed`},
		{"my_bucket", `"_" at position 3 is not allowed`},
		{"192.168.5.4", "must not be formatted as an IP address"},
		{"-bucket", "must start with a lowercase letter or a digit"},
		{"my..bucket", "must not contain two adjacent periods"},
		// Characters, not bytes: "버" is shown as itself, at position 1.
		{"버킷-abc", `"버" at position 1 is not allowed`},
	}
	steps := make([]resource.TestStep, 0, len(tests))
	for _, tt := range tests {
		steps = append(steps, resource.TestStep{
			Config:      testAccBucketConfig(tt.name),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(fmt.Sprintf("bucket_name %q is not a valid Object Storage bucket name: it", tt.name), tt.want),
		})
	}
	g.ParallelTest(t, resource.TestCase{
		Steps: steps,
	})
	// Validation happens at plan time: NCP was never asked.
	if g.Local() {
		for op, n := range g.Server(t, "call counts").Calls() {
			t.Errorf("unexpected API call %s (%d times): invalid names must be rejected before any request", op, n)
		}
	}
}

// TestAccObjectStorageBucket_nameTaken creates a bucket whose name another
// account owns: NCP's BucketAlreadyExists reaches the user with a hint.
func TestAccObjectStorageBucket_nameTaken(t *testing.T) {
	g := acctest.NewTarget(t, withOtherAccount)
	srv := g.Server(t, "a second account owns the bucket name")
	conn := targetConn(t, g)
	other := newConn(t, srv, otherCredential)
	name := bucketName("taken")

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := other.CreateBucket(context.Background(), name); err != nil {
						t.Fatalf("creating the bucket in the other account: %v", err)
					}
				},
				Config:      testAccBucketConfig(name),
				ExpectError: acctest.ErrorPattern(fmt.Sprintf("Object Storage bucket name %q is already taken", name)),
			},
			{
				Config:      testAccBucketConfig(name),
				ExpectError: acctest.ErrorPattern("NCP returned error BucketAlreadyExists"),
			},
		},
	})
	// The other account's bucket is untouched.
	if err := other.HeadBucket(context.Background(), name); err != nil {
		t.Errorf("the other account's bucket: %v", err)
	}
}

// TestAccObjectStorageBucket_alreadyOwned creates a bucket the account
// already owns: the error tells the user to import it.
func TestAccObjectStorageBucket_alreadyOwned(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	name := bucketName("owned")

	g.ParallelTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					if err := conn.CreateBucket(context.Background(), name); err != nil {
						t.Fatalf("creating the bucket out of band: %v", err)
					}
				},
				Config:      testAccBucketConfig(name),
				ExpectError: acctest.ErrorPattern(fmt.Sprintf("terraform import ncp_object_storage_bucket.<name> %s", name)),
			},
		},
	})
	// A failed create must not delete what it did not create.
	if err := conn.HeadBucket(context.Background(), name); err != nil {
		t.Errorf("the pre-existing bucket: %v", err)
	}
}

// TestAccObjectStorageBucket_routingNames uses bucket names equal to API
// Gateway path prefixes, which ncplocal must still route to Object Storage.
func TestAccObjectStorageBucket_routingNames(t *testing.T) {
	g := acctest.NewTarget(t)
	g.Server(t, "the names api and vpc are global and taken on NCP; the test is about ncplocal's routing")
	conn := targetConn(t, g)
	config := `
resource "ncp_object_storage_bucket" "api" {
  bucket_name = "api"
}

resource "ncp_object_storage_bucket" "vpc" {
  bucket_name = "vpc"
}
`
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					testAccCheckBucketExists(conn, "ncp_object_storage_bucket.api"),
					testAccCheckBucketExists(conn, "ncp_object_storage_bucket.vpc"),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("ncp_object_storage_bucket.api", tfjsonpath.New("id"), knownvalue.StringExact("api")),
					statecheck.ExpectKnownValue("ncp_object_storage_bucket.vpc", tfjsonpath.New("id"), knownvalue.StringExact("vpc")),
					statecheck.ExpectKnownValue("ncp_object_storage_bucket.vpc", tfjsonpath.New("creation_date"), knownvalue.StringRegexp(creationDatePattern)),
				},
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
			},
			acctest.ImportStep("", "ncp_object_storage_bucket.vpc", "vpc"),
		},
	})
}

func testAccBucketConfig(name string) string {
	return fmt.Sprintf(`
resource "ncp_object_storage_bucket" "test" {
  bucket_name = %[1]q
}
`, name)
}

func testAccBucketConfigForceDestroy(name string, force bool) string {
	return fmt.Sprintf(`
resource "ncp_object_storage_bucket" "test" {
  bucket_name   = %[1]q
  force_destroy = %[2]t

  timeouts {
    create = "2m"
    delete = "2m"
  }
}
`, name, force)
}

// bucketStateChecks asserts the state of the bucket at resourceAddress:
// named name, with force_destroy force and a creation date.
func bucketStateChecks(name string, force bool) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("id"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("bucket_name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("force_destroy"), knownvalue.Bool(force)),
		statecheck.ExpectKnownValue(resourceAddress, tfjsonpath.New("creation_date"), knownvalue.StringRegexp(creationDatePattern)),
	}
}

// testAccCheckBucketExists checks that the bucket of the resource at
// address exists in NCP.
func testAccCheckBucketExists(conn *osclient.Client, address string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		if rs.Primary.ID == "" || rs.Primary.ID != rs.Primary.Attributes["bucket_name"] {
			return fmt.Errorf("%s: id %q, bucket_name %q: want both set and equal", address, rs.Primary.ID, rs.Primary.Attributes["bucket_name"])
		}
		if err := objectstorage.FindBucket(context.Background(), conn, rs.Primary.ID); err != nil {
			return fmt.Errorf("bucket %s of %s: %w", rs.Primary.ID, address, err)
		}
		return nil
	}
}

// testAccCheckCreationDateMatchesListing checks creation_date against the
// bucket listing, in the one state format.
func testAccCheckCreationDateMatchesListing(conn *osclient.Client, address string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		created, err := conn.FindBucketCreationDate(context.Background(), rs.Primary.ID)
		if err != nil {
			return err
		}
		if got, want := rs.Primary.Attributes["creation_date"], objectstorage.FormatCreationDate(created); got != want {
			return fmt.Errorf("creation_date = %q, want %q (from the listing: %s)", got, want, created)
		}
		return nil
	}
}

// testAccCheckBucketGone checks that bucket name does not exist.
func testAccCheckBucketGone(conn *osclient.Client, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		err := objectstorage.FindBucket(context.Background(), conn, name)
		switch {
		case err == nil:
			return fmt.Errorf("bucket %s still exists", name)
		case !client.IsNotFound(err):
			return fmt.Errorf("checking bucket %s: %w", name, err)
		}
		return nil
	}
}

// testAccCheckBucketDestroy checks that no bucket of the state survived the
// destroy.
func testAccCheckBucketDestroy(conn *osclient.Client) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "ncp_object_storage_bucket" {
				continue
			}
			if err := testAccCheckBucketGone(conn, rs.Primary.ID)(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// testAccDeleteBucketOutOfBand deletes bucket name behind Terraform's back.
func testAccDeleteBucketOutOfBand(conn *osclient.Client, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return conn.DeleteBucket(context.Background(), name)
	}
}

// testAccPutObjects fills bucket name with n objects and an unfinished
// multipart upload (testAccCheckBucketHolds checks they are there).
func testAccPutObjects(t *testing.T, conn *osclient.Client, name string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return putObjects(t, conn, name, n)
	}
}

// testAccCheckBucketHolds checks that bucket name holds exactly what
// testAccPutObjects(t, conn, name, n) put into it.
func testAccCheckBucketHolds(t *testing.T, conn *osclient.Client, name string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return checkBucketHolds(t, conn, name, n)
	}
}
