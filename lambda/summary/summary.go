package summary

import (
	"cmp"
	"slices"
	"time"
	"unicode/utf8"

	"clockify-discord-relay/lambda/state"
)

// Bounds on what a summary carries: a digest job travels through SQS
// (256 KiB a message), and no message shows more.
const (
	MaxUsers           = 40
	MaxProjects        = 60
	MaxProjectsPerUser = 5
	MaxNameRunes       = 60 // names of users, projects and clients
)

// Summary is what one destination's digest shows.
type Summary struct {
	Period Period `json:"period"`
	// At is when the summary was made: running timers count up to it.
	At       time.Time     `json:"at"`
	Total    time.Duration `json:"total"`
	Billable time.Duration `json:"billable"`
	Entries  int           `json:"entries"`
	Running  int           `json:"running"`
	Users    []User        `json:"users"`
	Projects []Project     `json:"projects"`
	// MoreUsers and MoreProjects count what was left out past the bounds.
	MoreUsers    int `json:"moreUsers,omitempty"`
	MoreProjects int `json:"moreProjects,omitempty"`
}

// User is one person's time in the period.
type User struct {
	Name    string        `json:"name"`
	Total   time.Duration `json:"total"`
	Running bool          `json:"running,omitempty"` // a timer of theirs runs
	// Projects, most time first; past MaxProjectsPerUser the rest are one
	// Project with Other set.
	Projects []Project `json:"projects"`
}

// Project is the time spent on one project.
type Project struct {
	Name   string        `json:"name,omitempty"` // "" is time without a project
	Client string        `json:"client,omitempty"`
	Color  string        `json:"color,omitempty"`
	Total  time.Duration `json:"total"`
	Other  bool          `json:"other,omitempty"` // the rest of a user's projects
}

// Build adds up the entries' time within p, up to at. Entries are cut at
// the period's edges, so one that crosses midnight counts on each day for
// the part it ran there. Breaks, holidays and time off do not count.
func Build(entries []state.LedgerEntry, p Period, at time.Time) Summary {
	s := Summary{Period: p, At: at}
	end := p.End
	if at.Before(end) {
		end = at
	}
	type projectKey struct{ id, name, client string }
	users := map[string]*User{}
	userProjects := map[string]map[projectKey]*Project{}
	projects := map[projectKey]*Project{}
	for _, e := range entries {
		from, to := later(e.Start, p.Start), earlier(e.End, end)
		d := to.Sub(from).Truncate(time.Second)
		if !e.Work || d <= 0 {
			continue
		}
		s.Total += d
		s.Entries++
		if e.Billable {
			s.Billable += d
		}
		if e.Running {
			s.Running++
		}
		uk := cmp.Or(e.UserID, e.User)
		u := users[uk]
		if u == nil {
			u = &User{Name: cut(e.User)}
			users[uk], userProjects[uk] = u, map[projectKey]*Project{}
		}
		u.Total += d
		u.Running = u.Running || e.Running
		pk := projectKey{e.ProjectID, e.Project, e.Client}
		if e.ProjectID != "" {
			pk = projectKey{id: e.ProjectID}
		}
		for _, m := range []map[projectKey]*Project{projects, userProjects[uk]} {
			pr := m[pk]
			if pr == nil {
				pr = &Project{Name: cut(e.Project), Client: cut(e.Client), Color: e.Color}
				m[pk] = pr
			}
			pr.Total += d
			pr.Color = cmp.Or(pr.Color, e.Color)
		}
	}
	for uk, u := range users {
		u.Projects = sorted(userProjects[uk])
		if len(u.Projects) > MaxProjectsPerUser {
			rest := Project{Other: true}
			for _, pr := range u.Projects[MaxProjectsPerUser-1:] {
				rest.Total += pr.Total
			}
			u.Projects = append(u.Projects[:MaxProjectsPerUser-1], rest)
		}
		s.Users = append(s.Users, *u)
	}
	slices.SortFunc(s.Users, func(a, b User) int { return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Name, b.Name)) })
	s.Projects = sorted(projects)
	if len(s.Users) > MaxUsers {
		s.MoreUsers, s.Users = len(s.Users)-MaxUsers, s.Users[:MaxUsers]
	}
	if len(s.Projects) > MaxProjects {
		s.MoreProjects, s.Projects = len(s.Projects)-MaxProjects, s.Projects[:MaxProjects]
	}
	return s
}

// sorted lists the projects, most time first, then by name.
func sorted[K comparable](m map[K]*Project) []Project {
	out := make([]Project, 0, len(m))
	for _, p := range m {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Project) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Client, b.Client))
	})
	return out
}

// BillableShare is the billable part of the total, 0 to 1.
func (s Summary) BillableShare() float64 {
	if s.Total <= 0 {
		return 0
	}
	return float64(s.Billable) / float64(s.Total)
}

// cut keeps the first MaxNameRunes of a name.
func cut(s string) string {
	if utf8.RuneCountInString(s) <= MaxNameRunes {
		return s
	}
	return string([]rune(s)[:MaxNameRunes-1]) + "…"
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// ByDestination groups a ledger's entries by destination, and gives each
// destination's route: that of its latest entry.
func ByDestination(entries []state.LedgerEntry) (map[string][]state.LedgerEntry, map[string]string) {
	groups, routes, latest := map[string][]state.LedgerEntry{}, map[string]string{}, map[string]time.Time{}
	for _, e := range entries {
		groups[e.Dest] = append(groups[e.Dest], e)
		if !e.End.Before(latest[e.Dest]) {
			latest[e.Dest], routes[e.Dest] = e.End, e.Route
		}
	}
	return groups, routes
}
