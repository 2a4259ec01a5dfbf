package apiclient_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Base images are asked for page by page until TotalCount, and each OsName
// comes back once, in the API's order.
func TestBaseImageNamesPages(t *testing.T) {
	const total = 150
	f, c := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.PostForm.Get("ImageType") != "Base" || r.PostForm.Get("Region") != "cn-bj2" {
			t.Errorf("sent %v", r.PostForm)
		}
		offset, _ := strconv.Atoi(r.PostForm.Get("Offset"))
		limit, _ := strconv.Atoi(r.PostForm.Get("Limit"))
		var rows []string
		for i := offset; i < min(total, offset+limit); i++ {
			// Two images per name, as the console lists a name per zone build.
			rows = append(rows, fmt.Sprintf(`{"ImageId":"uimage-b%d","ImageType":"Base","OsName":"Distro %d 64位"}`, i, i/2))
		}
		writeJSON(w, fmt.Sprintf(`{"RetCode":0,"TotalCount":%d,"ImageSet":[%s]}`, total, strings.Join(rows, ",")))
	})
	names, err := c.BaseImageNames(context.Background(), "cn-bj2", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != total/2 || names[0] != "Distro 0 64位" || names[74] != "Distro 74 64位" || slices.Contains(names[1:], names[0]) {
		t.Errorf("%d names: %q", len(names), names)
	}
	if n := f.count("DescribeImage"); n != 2 {
		t.Errorf("%d DescribeImage calls, want 2", n)
	}
}

// A refusal is returned as the API's error, with no names.
func TestBaseImageNamesRefused(t *testing.T) {
	_, c := newFakeAPI(t, respond(`{"RetCode":172,"Message":"permission denied"}`))
	names, err := c.BaseImageNames(context.Background(), "cn-bj2", "")
	if err == nil || len(names) != 0 {
		t.Errorf("names %q, err %v", names, err)
	}
}
