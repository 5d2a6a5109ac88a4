#!/usr/bin/env bash
# Prints the path of a Terraform CLI: see ensure-cli.sh.
exec "$(dirname -- "${BASH_SOURCE[0]}")/ensure-cli.sh" terraform
