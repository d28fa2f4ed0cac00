package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// errShortInput is readPasswords' error when stdin, not a terminal, ends
// before it gave one line per password.
var errShortInput = errors.New("stdin ended before the passwords")

// terminal returns stdin's file descriptor when stdin is a terminal.
func terminal(stdin io.Reader) (int, bool) {
	f, ok := stdin.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// readPasswords reads one password for each prompt. At a terminal it
// writes the prompt to stderr and reads without echo; otherwise (a pipe,
// a file: scripts and tests) it reads one password a line from stdin,
// and prompts nothing.
func readPasswords(stdin io.Reader, stderr io.Writer, prompts ...string) ([]string, error) {
	pws := make([]string, 0, len(prompts))
	if fd, ok := terminal(stdin); ok {
		for _, p := range prompts {
			fmt.Fprint(stderr, p)
			b, err := term.ReadPassword(fd)
			fmt.Fprintln(stderr) // the user's Enter was not echoed
			if err != nil {
				return nil, fmt.Errorf("read password: %w", err)
			}
			pws = append(pws, string(b))
		}
		return pws, nil
	}
	sc := bufio.NewScanner(stdin)
	for len(pws) < len(prompts) && sc.Scan() {
		pws = append(pws, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(pws) < len(prompts) {
		return nil, errShortInput
	}
	return pws, nil
}

// errPasswordsDiffer: a new password and its retyping at a terminal differ.
var errPasswordsDiffer = errors.New("the new passwords do not match")

// readNewPassword reads what the earlier prompts ask for, then a new root
// password: asked for twice at a terminal (errPasswordsDiffer when the two
// differ), else one more line of stdin. It returns one value per earlier
// prompt and the new password last.
func readNewPassword(stdin io.Reader, stderr io.Writer, earlier ...string) ([]string, error) {
	prompts := append(earlier[:len(earlier):len(earlier)], "New root password: ")
	_, tty := terminal(stdin)
	if tty {
		prompts = append(prompts, "Retype the new root password: ")
	}
	pws, err := readPasswords(stdin, stderr, prompts...)
	if err != nil {
		return nil, err
	}
	if tty {
		if pws[len(pws)-1] != pws[len(pws)-2] {
			return nil, errPasswordsDiffer
		}
		pws = pws[:len(pws)-1]
	}
	return pws, nil
}
