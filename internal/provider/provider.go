// Package provider is the Terraform-facing side of the Redis Cloud account logs provider:
// the provider configuration and the rediscloud_audit_logs and rediscloud_session_logs
// data sources. HTTP lives in internal/client; filtering in internal/logquery.
package provider

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/validators"
)

// Environment variables read when an argument is not set. The official Redis Cloud
// provider's names win over the seed document's names when both are set.
const (
	envAPIKey        = "REDISCLOUD_ACCESS_KEY"
	envSecretKey     = "REDISCLOUD_SECRET_KEY"
	envURL           = "REDISCLOUD_URL"
	envSeedAPIKey    = "REDIS_API_KEY"
	envSeedSecretKey = "REDIS_API_SECRET"
)

// providerTypeName prefixes the data source type names.
const providerTypeName = "rediscloud"

var (
	_ provider.Provider              = &RedisCloudProvider{}
	_ provider.ProviderWithFunctions = &RedisCloudProvider{}

	_ provider.ProviderWithEphemeralResources = &RedisCloudProvider{}
)

// RedisCloudProvider configures one API client that every data source of this
// provider configuration shares, so that they share one rate limit too.
type RedisCloudProvider struct {
	version string
}

type providerModel struct {
	APIKey            types.String `tfsdk:"api_key"`
	SecretKey         types.String `tfsdk:"secret_key"`
	URL               types.String `tfsdk:"url"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
	RetryWaitMin      types.String `tfsdk:"retry_wait_min"`
	RetryWaitMax      types.String `tfsdk:"retry_wait_max"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	RequestsPerMinute types.Int64  `tfsdk:"requests_per_minute"`
	MaxConcurrency    types.Int64  `tfsdk:"max_concurrency"`
	AllowInsecureHTTP types.Bool   `tfsdk:"allow_insecure_http"`
}

// providerData is handed to every data source by Configure.
type providerData struct {
	client  *client.Client
	secrets []string // masked on every context that logs
}

// New returns the provider factory for providerserver.Serve and the tests.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &RedisCloudProvider{version: version}
	}
}

func (p *RedisCloudProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = providerTypeName
	resp.Version = p.version
}

func (p *RedisCloudProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	durationValidators := []validator.String{validators.Duration()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the Redis Cloud account audit log (`GET /v1/logs`) and session log " +
			"(`GET /v1/session-logs`) so that `check` blocks, postconditions and outputs can use them during `terraform plan`.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Redis Cloud account API key, sent as `x-api-key`. Falls back to `" + envAPIKey +
					"`, then `" + envSeedAPIKey + "`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{validators.HeaderValue("API Key")},
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "Redis Cloud user API key (secret), sent as `x-api-secret-key`. Falls back to `" +
					envSecretKey + "`, then `" + envSeedSecretKey + "`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{validators.HeaderValue("Secret Key")},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the API, including the version. Falls back to `" + envURL +
					"`; defaults to `" + client.DefaultBaseURL + "`. Must be HTTPS unless the host is a loopback address " +
					"or `allow_insecure_http` is true.",
				Optional: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times one request is retried after a 429, a 500, 502, 503 "+
					"or 504, a dropped connection or a timed-out attempt. Other answers are never retried. Defaults to `%d`.",
					client.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"retry_wait_min": schema.StringAttribute{
				MarkdownDescription: "First backoff between retries (a duration such as `\"1s\"`); it doubles, with jitter, " +
					"on each retry. Defaults to " + durationDefault(client.DefaultRetryWaitMin) + ".",
				Optional:   true,
				Validators: durationValidators,
			},
			"retry_wait_max": schema.StringAttribute{
				MarkdownDescription: "Longest single wait between retries, also the cap on a server's " +
					"`x-rate-limit-retry-after-seconds` or `Retry-After`. Defaults to " + durationDefault(client.DefaultRetryWaitMax) + ".",
				Optional:   true,
				Validators: durationValidators,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Timeout of one HTTP attempt. The whole read is bounded by the data source's " +
					"`timeouts.read`. Defaults to " + durationDefault(client.DefaultRequestTimeout) + ".",
				Optional:   true,
				Validators: durationValidators,
			},
			"requests_per_minute": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Client-side rate limit shared by every data source of this provider "+
					"configuration. Redis Cloud allows 400 requests per minute per account API key. Defaults to `%d`.",
					client.DefaultRequestsPerMinute),
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"max_concurrency": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many pages one data source may request at once (within the rate "+
					"limit). `1` reads pages one after another. Defaults to `%d`.", client.DefaultMaxConcurrency),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(1, 32)},
			},
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow a plain `http://` URL to a host that is not a loopback address. " +
					"The API keys would travel in clear text. Defaults to `false`.",
				Optional: true,
			},
		},
	}
}

func (p *RedisCloudProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	for name, v := range map[string]interface{ IsUnknown() bool }{
		"api_key": cfg.APIKey, "secret_key": cfg.SecretKey, "url": cfg.URL,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown Provider Argument",
				"The provider cannot read the logs while "+name+" is unknown during the plan. Set it to a value "+
					"known at plan time, or use the environment variables described in the provider documentation.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	apiKey, secretKey := cfg.keys(&resp.Diagnostics)
	secrets := nonEmpty(apiKey, secretKey)
	ctx = maskSecrets(ctx, secrets)

	clientCfg := client.Config{
		BaseURL:           firstSet(cfg.URL.ValueString(), os.Getenv(envURL), client.DefaultBaseURL),
		APIKey:            apiKey,
		SecretKey:         secretKey,
		UserAgent:         fmt.Sprintf("terraform-provider-rediscloud/%s Terraform/%s", p.version, req.TerraformVersion),
		AllowInsecureHTTP: cfg.AllowInsecureHTTP.ValueBool(),
		MaxRetries:        int(int64OrDefault(cfg.MaxRetries, client.DefaultMaxRetries)),
		RetryWaitMin:      durationOrDefault(cfg.RetryWaitMin, client.DefaultRetryWaitMin, "retry_wait_min", &resp.Diagnostics),
		RetryWaitMax:      durationOrDefault(cfg.RetryWaitMax, client.DefaultRetryWaitMax, "retry_wait_max", &resp.Diagnostics),
		RequestTimeout:    durationOrDefault(cfg.RequestTimeout, client.DefaultRequestTimeout, "request_timeout", &resp.Diagnostics),
		RequestsPerMinute: int(int64OrDefault(cfg.RequestsPerMinute, client.DefaultRequestsPerMinute)),
		MaxConcurrency:    int(int64OrDefault(cfg.MaxConcurrency, client.DefaultMaxConcurrency)),
		Logger:            tflogLogger{secrets: secrets},
	}
	if clientCfg.RetryWaitMax < clientCfg.RetryWaitMin {
		resp.Diagnostics.AddAttributeError(path.Root("retry_wait_max"), "Invalid Retry Wait",
			"retry_wait_max must not be shorter than retry_wait_min.")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	c, err := client.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Invalid API URL", withArgument(err.Error(), err))
		return
	}
	tflog.Debug(ctx, "configured Redis Cloud API client", map[string]any{"url": clientCfg.BaseURL})

	data := &providerData{client: c, secrets: secrets}
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

func (p *RedisCloudProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

func (p *RedisCloudProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAuditLogsDataSource,
		NewSessionLogsDataSource,
	}
}

// EphemeralResources are the ephemeral twins of the data sources (Terraform 1.10+,
// OpenTofu 1.11+): the same read, with a result that never reaches the plan or the state.
func (p *RedisCloudProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewAuditLogsEphemeralResource,
		NewSessionLogsEphemeralResource,
	}
}

// Functions are the provider-defined functions (Terraform 1.8+, OpenTofu 1.7+).
func (p *RedisCloudProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		NewCIDRContainsFunction,
		NewGlobMatchFunction,
	}
}

// maskSecrets hides the API keys in every log line written with the returned context,
// whether they appear in a message or in a field.
func maskSecrets(ctx context.Context, secrets []string) context.Context {
	if len(secrets) == 0 {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, secrets...)
	return tflog.MaskAllFieldValuesStrings(ctx, secrets...)
}

// tflogLogger lets the Terraform-agnostic client log through tflog, from any goroutine.
//
// terraform-plugin-log applies masks by writing the masked values back into the field
// map of the context's logger options (LoggerOpts.ApplyMask), a map that every context
// derived from the same options shares. The client logs from several page goroutines at
// once, so logging straight through the Read context is a concurrent map write and
// crashes the provider (hashicorp/terraform-plugin-log#246, open). Each call therefore
// logs through a context of its own: MaskAllFieldValuesStrings copies the options, field
// map included, and the copy carries the masks again, so no secret is ever logged.
type tflogLogger struct {
	secrets []string
}

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.private(ctx), msg, fields)
}

func (l tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(l.private(ctx), msg, fields)
}

// private returns a context whose logger options (and field map) belong to this call
// alone. The copy keeps every mask of ctx (maskSecrets put them there) and adds the
// field masks once more, so even a context that lost them masks the keys.
func (l tflogLogger) private(ctx context.Context) context.Context {
	return tflog.MaskAllFieldValuesStrings(ctx, l.secrets...)
}

// keys are the API key and the secret key, from the arguments or the environment; a
// missing one is an error on its argument.
func (cfg providerModel) keys(diags *diag.Diagnostics) (apiKey, secretKey string) {
	apiKey = keyFrom(diags, "api_key", "API Key", cfg.APIKey.ValueString(), envAPIKey, envSeedAPIKey)
	secretKey = keyFrom(diags, "secret_key", "Secret Key", cfg.SecretKey.ValueString(), envSecretKey, envSeedSecretKey)
	if apiKey == "" {
		diags.AddAttributeError(path.Root("api_key"), "Missing API Key",
			"The provider needs the Redis Cloud account API key to read logs. Set api_key in the provider block, "+
				"or the environment variable "+envAPIKey+" (or "+envSeedAPIKey+").")
	}
	if secretKey == "" {
		diags.AddAttributeError(path.Root("secret_key"), "Missing Secret Key",
			"The provider needs a Redis Cloud user API key (secret key) to read logs. Set secret_key in the provider "+
				"block, or the environment variable "+envSecretKey+" (or "+envSeedSecretKey+").")
	}
	return apiKey, secretKey
}

// keyFrom is the key the attribute sets, else the first of the environment variables
// that is set. A value from the environment that cannot be sent as a header is an
// error naming the variable (the attribute's validator catches its own value first).
func keyFrom(diags *diag.Diagnostics, attribute, thing, configured string, envs ...string) string {
	if configured != "" {
		return configured
	}
	for _, env := range envs {
		if v := os.Getenv(env); v != "" {
			if !client.HeaderSafe(v) {
				diags.AddAttributeError(path.Root(attribute), "Invalid "+thing, "The environment variable "+env+" "+
					client.ErrNotHeaderSafe.Error()+".")
			}
			return v
		}
	}
	return ""
}

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// durationDefault quotes a default duration for a schema description, in whole
// seconds ("60s" rather than Go's "1m0s") as users write it.
func durationDefault(d time.Duration) string {
	return fmt.Sprintf("`\"%ds\"`", d/time.Second)
}

func int64OrDefault(v types.Int64, def int64) int64 {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueInt64()
}

// durationOrDefault reads a duration argument. The validator rejects a malformed value
// when it is known at validate time; one only known now is reported here, never
// replaced by the default behind the user's back.
func durationOrDefault(v types.String, def time.Duration, attribute string, diags *diag.Diagnostics) time.Duration {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	d, err := logquery.ParseDuration(v.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root(attribute), "Invalid Duration", err.Error()+".")
		return def
	}
	return d
}
