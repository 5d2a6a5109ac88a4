// Command peakrss runs a command as Terraform would run the provider (stdin,
// stdout and stderr passed through) and, when it ends, writes the peak resident
// set size of the command, in KiB, to the file PEAKRSS_OUT names.
// BenchmarkReadMemory installs it in place of the provider binary. The command
// is started through sh, which forks it: a child forked straight from this
// process would inherit this process's peak as its own ru_maxrss.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	cmd := exec.Command("sh", append([]string{"-c", `"$0" "$@"; exit $?`}, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr, cmd.Env = os.Stdin, os.Stdout, os.Stderr, os.Environ()
	signal.Ignore(syscall.SIGINT) // the provider gets Ctrl-C itself and decides
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		os.Exit(1)
	}
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		_ = os.WriteFile(os.Getenv("PEAKRSS_OUT"), []byte(fmt.Sprintf("%d\n", ru.Maxrss)), 0o600)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.ExitCode())
	}
}
