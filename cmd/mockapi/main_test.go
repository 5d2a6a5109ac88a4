package main

import "testing"

func TestParseFlagsRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:8080", "localhost:9000", "127.0.0.2:0"} {
		if _, err := parseFlags([]string{"-addr", addr}); err != nil {
			t.Errorf("%s refused: %v", addr, err)
		}
	}
	for _, addr := range []string{"0.0.0.0:0", ":8080", "[::]:0", "192.0.2.1:80", "example.com:80", "127.0.0.1"} {
		if _, err := parseFlags([]string{"-addr", addr}); err == nil {
			t.Errorf("%s accepted", addr)
		}
	}
}

func TestParseFlagsValidatesChoices(t *testing.T) {
	bad := [][]string{
		{"-shape", "v2"},
		{"-dataset", "huge"},
		{"-audit", "-1"},
		{"extra"},
		{"-rate-limit", "-1"},
		{"-rate-limit", "400", "-rate-window", "0s"},
	}
	for _, args := range bad {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	c, err := parseFlags([]string{"-shape", "seed", "-dataset", "generated", "-audit", "10", "-latency", "5ms", "-rate-limit", "400", "-rate-window", "1m"})
	if err != nil || c.shape != "seed" || c.auditCount != 10 || c.latency.Milliseconds() != 5 || c.rateLimit != 400 || c.rateWindow.Seconds() != 60 {
		t.Errorf("good flags: %+v, %v", c, err)
	}
}
