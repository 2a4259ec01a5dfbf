// Command uimport imports disk images into UCloud-family clouds as UHost
// custom images. The design card: apiclient/ signs and sends, keystore/ finds
// credentials, ui/ draws the wizard, cli/ wires commands; main only starts it.
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
	app := cli.NewApp(cli.BuildInfo{Version: version, Commit: commit, Date: date}.Resolved())
	os.Exit(cli.Run(context.Background(), app, os.Args[1:]))
}
