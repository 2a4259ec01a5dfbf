package demoapi

import (
	"time"
)

// CopyOptions configures CopyCustomImage. The zero value copies everywhere
// but cn-bj1, and every copy settles Available after a few polls.
type CopyOptions struct {
	// CopyingPolls is how many DescribeImage answers that include a new
	// copy show it as "Copying" before it settles. 0 means 3; a negative
	// value means it settles at once.
	CopyingPolls int

	// Refuse maps a region to the answer a copy from or to it gets; the
	// copy is not made. nil means DefaultCopyRefusals. An empty Message is
	// "Params [Region] not available" (or TargetRegion, for a target).
	Refuse map[string]Refusal

	// UnavailableTargets are regions where a copy ends "Unavailable".
	UnavailableTargets []string
}

// Refusal is an API answer that refuses an action.
type Refusal struct {
	RetCode int
	Message string
}

// DefaultCopyRefusals refuses cn-bj1, which the UHost guide says does not
// support copying. The real RetCode is undocumented; 230 naming the region
// parameter is the simulator's choice.
var DefaultCopyRefusals = map[string]Refusal{"cn-bj1": {RetCode: 230}}

const defaultCopyingPolls = 3

// Copy is one copy CopyCustomImage made, for tests to assert on.
type Copy struct {
	SourceImageID   string
	SourceRegion    string
	TargetImageID   string
	TargetRegion    string
	TargetProjectID string
	TaskID          string
}

// copyStore is the copies' state. Server.mu guards it.
type copyStore struct {
	copyingPolls int
	refuse       map[string]Refusal
	unavailable  map[string]bool
	made         []Copy
	endsBad      map[string]bool // every copy's ImageId -> it ends Unavailable
}

func newCopyStore(o CopyOptions) *copyStore {
	c := &copyStore{
		copyingPolls: o.CopyingPolls,
		refuse:       o.Refuse,
		unavailable:  make(map[string]bool),
		endsBad:      make(map[string]bool),
	}
	switch {
	case c.copyingPolls == 0:
		c.copyingPolls = defaultCopyingPolls
	case c.copyingPolls < 0:
		c.copyingPolls = 0
	}
	if c.refuse == nil {
		c.refuse = DefaultCopyRefusals
	}
	for _, r := range o.UnavailableTargets {
		c.unavailable[r] = true
	}
	return c
}

// stateOf is a copy's lifecycle: "Copying" for the first CopyingPolls
// DescribeImage answers that include it, then "Available", or
// "Unavailable" in an UnavailableTargets region. ok is false for an image
// that is not a copy. Callers hold s.mu.
func (c *copyStore) stateOf(im *Image) (state string, ok bool) {
	bad, ok := c.endsBad[im.ImageID]
	switch {
	case !ok:
		return "", false
	case im.Polls < c.copyingPolls:
		return "Copying", true
	case bad:
		return "Unavailable", true
	default:
		return "Available", true
	}
}

// Copies returns the copies made so far, oldest first.
func (s *Server) Copies() []Copy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Copy(nil), s.copies.made...)
}

// copyRequired lists CopyCustomImage's required parameters, checked in order.
var copyRequired = []string{"Region", "SourceImageId", "TargetProjectId"}

// copyCustomImage answers CopyCustomImage. It is not idempotent: every
// accepted call makes a new image in the target region and project, which
// only DescribeImage there lists.
func (s *Server) copyCustomImage(p map[string]string) reply {
	const action = "CopyCustomImage"
	for _, name := range copyRequired {
		if p[name] == "" {
			return badParam(action, name)
		}
	}
	region, target := p["Region"], p["TargetRegion"]
	if !knownRegion(region) {
		return badParam(action, "Region")
	}
	if target == "" {
		target = region
	} else if !knownRegion(target) {
		return badParam(action, "TargetRegion")
	}
	projectID := p["ProjectId"]
	if projectID == "" {
		projectID = DefaultProjectID
	} else if !knownProject(projectID) {
		return failure(action, 292, "Project ["+projectID+"] not exist")
	}
	targetProject := p["TargetProjectId"]
	if !knownProject(targetProject) {
		return failure(action, 292, "Project ["+targetProject+"] not exist")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.copies.refuse[region]; ok {
		return refused(action, r, "Region")
	}
	if r, ok := s.copies.refuse[target]; ok {
		return refused(action, r, "TargetRegion")
	}
	src := s.findImage(p["SourceImageId"])
	if src == nil || src.Region != region || src.ProjectID != projectID {
		return failure(action, 8956, "Image ["+p["SourceImageId"]+"] not exist")
	}
	if state := s.stateOf(src); state != "Available" {
		return failure(action, 230, "Params [SourceImageId] not available: the image is "+state)
	}

	id := s.newImageID()
	cp := *src
	cp.ImageID, cp.Region, cp.Zone, cp.ProjectID = id, target, firstZone(target), targetProject
	cp.CreateTime, cp.Polls, cp.State = time.Now(), 0, ""
	if v := p["TargetImageName"]; v != "" {
		cp.ImageName = v
	}
	if v := p["TargetImageDescription"]; v != "" {
		cp.Description = v
	}
	if v := p["TargetImageTag"]; v != "" {
		cp.Tag = v
	}
	s.images = append(s.images, &cp)
	task := "task-" + id[len("uimage-"):]
	s.copies.endsBad[id] = s.copies.unavailable[target]
	s.copies.made = append(s.copies.made, Copy{
		SourceImageID: src.ImageID, SourceRegion: region,
		TargetImageID: id, TargetRegion: target, TargetProjectID: targetProject, TaskID: task,
	})
	out := success(action)
	out["TargetImageId"] = id
	out["TaskId"] = task
	return out
}

func refused(action string, r Refusal, param string) reply {
	msg := r.Message
	if msg == "" {
		msg = "Params [" + param + "] not available"
	}
	return failure(action, r.RetCode, msg)
}
