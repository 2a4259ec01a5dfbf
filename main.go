// Command uimport imports disk images into UCloud-family clouds as UHost
// custom images. The design card: apiclient/ signs and sends, keystore/ finds
// credentials, importer/ carries out each use case once, iostreams/ decides
// about the terminal, ui/ draws the wizard, cli/ wires commands; main only
// starts it.
package main

import (
	"context"
	"os"

	"github.com/uimport/uimport/cli"
	"github.com/uimport/uimport/internal/earlyenv"
)

// Set by the release build with -ldflags -X.
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	earlyenv.Restore()
	f := cli.NewFactory(cli.BuildInfo{Version: version, Commit: commit, Date: date}.Resolved(), os.Getenv)
	os.Exit(cli.Run(context.Background(), f, os.Args[1:]))
}
