package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

var _ function.Function = &GlobMatchFunction{}

// GlobMatchFunction is provider::rediscloud::glob_match: the glob test of the
// actions, users, api_key_names and user_roles arguments, for HCL.
type GlobMatchFunction struct{}

// NewGlobMatchFunction is the constructor the provider registers.
func NewGlobMatchFunction() function.Function { return &GlobMatchFunction{} }

func (f *GlobMatchFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "glob_match"
}

func (f *GlobMatchFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Whether a value matches any of a list of glob patterns",
		MarkdownDescription: "Returns `true` when `value` matches at least one of `patterns`, `false` otherwise (also " +
			"for an empty list), with the rules of the `actions`, `users`, `api_key_names` and `user_roles` " +
			"arguments of the data sources: the whole value must match, case is ignored, `*` matches any run of " +
			"characters (including `.`, `@` and `/`), `?` one character, `[abc]` or `[a-z]` one of a set " +
			"(`[!abc]` or `[^abc]` negates), and `\\` escapes the next character. Use it to apply per-team " +
			"rules or maps of patterns to entries in HCL. A pattern that does not compile (empty, an unclosed " +
			"`[`, a trailing `\\`) is an error naming the argument and the value. Provider functions need Terraform 1.8 or later, or OpenTofu 1.7 or later.",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:                "patterns",
				ElementType:         types.StringType,
				MarkdownDescription: "Glob patterns such as `\"database.*\"` or `\"*@example.com\"`.",
			},
			function.StringParameter{
				Name:                "value",
				MarkdownDescription: "The text to test, such as an entry's `action` or `user.email`.",
			},
		},
		Return: function.BoolReturn{},
	}
}

func (f *GlobMatchFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var patterns []types.String
	var value string
	resp.Error = req.Arguments.Get(ctx, &patterns, &value)
	if resp.Error != nil {
		return
	}
	// Every pattern is compiled before any is tried, so that a bad pattern is an
	// error whatever the value, not only when the patterns before it miss.
	globs, ferr := parseListArgument(0, "patterns", `a glob pattern such as "database.*"`, patterns, logquery.CompileGlob)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	resp.Error = resp.Result.Set(ctx, logquery.GlobsMatch(globs, value))
}
