package scenario

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/azauthtrace/azauthtrace"
)

// LiveName is the name of the live run's scenario and root span
// ("scenario live").
const LiveName = "live"

// SubscriptionEnv is the variable that names the subscription of the live
// run.
const SubscriptionEnv = "AZURE_SUBSCRIPTION_ID"

// RunLive lists the resource groups of the subscription named by
// AZURE_SUBSCRIPTION_ID in real Azure, with DefaultAzureCredential wrapped
// as Options.Credential says and an ARM client with Options.ClientOptions, in a
// trace under the root span "scenario live". It returns the diagnosis, and
// the resource group names when the call succeeded. It has no
// expectation: its Mismatches are always empty.
func (r *Runner) RunLive(ctx context.Context) (Result, []string) {
	sub := os.Getenv(SubscriptionEnv)
	s := Scenario{Name: LiveName, Title: fmt.Sprintf("List the resource groups of subscription %s with DefaultAzureCredential", sub)}
	var groups []string
	s.play = func(r *Runner, p *play) error {
		if sub == "" {
			return errors.New("scenario: set " + SubscriptionEnv + " for the live run")
		}
		cred, err := azidentity.NewDefaultAzureCredential(nil)
		if err != nil {
			return err
		}
		c, err := arm.NewClient("azauthtrace/example", "v"+azauthtrace.Version, p.wrap(cred), &arm.ClientOptions{ClientOptions: r.opts})
		if err != nil {
			return err
		}
		groups, err = (&armClient{c}).ListResourceGroups(p.ctx, sub)
		return err
	}
	return r.run(ctx, s), groups
}
