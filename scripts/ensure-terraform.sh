#!/usr/bin/env bash
# Prints the path of a Terraform-compatible CLI (OpenTofu where there is no terraform), or
# with --oldest the pinned Terraform 1.5.7: see ensure-cli.sh.
case "${1:-}" in
  --oldest) exec "$(dirname -- "${BASH_SOURCE[0]}")/ensure-cli.sh" terraform-oldest ;;
  "") exec "$(dirname -- "${BASH_SOURCE[0]}")/ensure-cli.sh" terraform ;;
  *) echo "ensure-terraform: unknown argument $1 (expected none, or --oldest)" >&2; exit 2 ;;
esac
