package main

import (
	"errors"
	"io"
	"net"
	"os"
)

// slowBus listens on a unix socket, accepts every connection and never
// answers: a session bus that hangs, as a stuck gnome-keyring can.
func slowBus(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: slowbus SOCKET")
	}
	_ = os.Remove(args[0])
	l, err := net.Listen("unix", args[0])
	if err != nil {
		return err
	}
	var held []net.Conn
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		held = append(held, c) // keep it open, read nothing, say nothing
		go func() { _, _ = io.Copy(io.Discard, c) }()
	}
}
