// Command terraform-provider-rediscloud serves the Redis Cloud account logs provider
// (audit log and session log data sources) to Terraform over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/provider"
)

// version is set by the release build (goreleaser ldflags: -X main.version=...).
var version = "dev"

func main() {
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider version and exit")
	flag.Parse()

	if showVersion {
		fmt.Println(version)
		os.Exit(0)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/redis-logs/rediscloud",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
