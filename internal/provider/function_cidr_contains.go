package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

var _ function.Function = &CIDRContainsFunction{}

// CIDRContainsFunction is provider::rediscloud::cidr_contains: the ip_cidrs test
// of rediscloud_session_logs, for HCL (Terraform has no cidrcontains()).
type CIDRContainsFunction struct{}

// NewCIDRContainsFunction is the constructor the provider registers.
func NewCIDRContainsFunction() function.Function { return &CIDRContainsFunction{} }

func (f *CIDRContainsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "cidr_contains"
}

func (f *CIDRContainsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether an IP address lies in any of a list of CIDR ranges",
		MarkdownDescription: "Returns `true` when `ip` lies in at least one of `cidrs`, `false` otherwise (also for an " +
			"empty list). It parses both exactly as the `ip_cidrs` and `exclude_ip_cidrs` arguments of " +
			"`rediscloud_session_logs` parse ranges and session addresses, so a check can apply different ranges " +
			"to different users with the same result as the filter. IPv4 and IPv6; a single address in `cidrs` " +
			"means just that address; an IPv4-mapped IPv6 address (`::ffff:198.51.100.7`) is the IPv4 address; " +
			"a port (`198.51.100.7:443`) or an IPv6 zone in `ip` is ignored. An IPv4 address never lies in an " +
			"IPv6 range, nor the reverse. A range or address that does not parse is an error naming the " +
			"argument and the value. Provider functions need Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:                "cidrs",
				ElementType:         types.StringType,
				MarkdownDescription: "IPv4 or IPv6 CIDR ranges such as `\"198.51.100.0/24\"` or `\"2001:db8::/32\"`, or single addresses.",
			},
			function.StringParameter{
				Name:                "ip",
				MarkdownDescription: "The IP address to test, such as a session's `ip_address`.",
			},
		},
		Return: function.BoolReturn{},
	}
}

func (f *CIDRContainsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var cidrs []types.String
	var ip string
	resp.Error = req.Arguments.Get(ctx, &cidrs, &ip)
	if resp.Error != nil {
		return
	}
	prefixes, ferr := parseListArgument(0, "cidrs", `a CIDR range such as "198.51.100.0/24"`, cidrs, logquery.ParsePrefix)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	addr, err := logquery.ParseAddr(ip)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, "ip: "+err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, logquery.PrefixesContain(prefixes, addr))
}
