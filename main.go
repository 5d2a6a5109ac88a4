// Command terraform-provider-rediscloud serves the Redis Cloud account logs provider
// (audit log and session log data sources) to Terraform over plugin protocol 6.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/provider"
)

// version is set by `make build`, `make install` and the release build, all with
// -X main.version=<scripts/version.sh>; "dev" means a plain `go build`.
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

	// The first line the provider logs, so that a bug report's TF_LOG output says which
	// build ran. go-plugin reads the level from the "[INFO]" prefix, which only works
	// when the line starts with it (no timestamp: Terraform adds its own).
	log.SetFlags(0)
	log.Printf("[INFO] terraform-provider-rediscloud %s starting", version)

	// provider.NewServer is the framework's server with a cheaper way to return a data
	// source's entries; served as providerserver.Serve would serve the framework's.
	newServer := provider.NewServer(version)
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve("registry.terraform.io/redis-logs/rediscloud", func() tfprotov6.ProviderServer {
		s, err := newServer()
		if err != nil {
			log.Fatal(err.Error())
		}
		return s
	}, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
