package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/kms53/kms53/emulator/access"
	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// adminRoutes serves the admin API under /_kms53/.
func (s *Server) adminRoutes(r *mux.Router) {
	r.Methods(http.MethodGet).Path("/health").HandlerFunc(s.adminHealth)
	r.Methods(http.MethodPost).Path("/reset").HandlerFunc(s.adminReset)
	r.Methods(http.MethodPost).Path("/clock").HandlerFunc(s.adminClock)
	r.Methods(http.MethodGet).Path("/clock").HandlerFunc(s.adminClock)
	r.Methods(http.MethodGet).Path("/state").HandlerFunc(s.adminState)
	r.Methods(http.MethodGet).Path("/decisions").HandlerFunc(s.adminDecisions)
	r.Methods(http.MethodPut).Path("/identities").HandlerFunc(s.adminIdentities)
}

// adminIdentities replaces the identities with those of a -config document (YAML or JSON).
func (s *Server) adminIdentities(w http.ResponseWriter, r *http.Request) {
	body, perr := awsproto.ReadBody(r)
	if perr != nil {
		writeAdmin(w, perr.Status, adminError{perr.Message})
		return
	}
	cfg, err := ParseConfig(body)
	if err == nil {
		err = s.SetIdentities(cfg.Identities)
	}
	if err != nil {
		writeAdmin(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	writeAdmin(w, http.StatusOK, map[string]int{"identities": len(cfg.Identities)})
}

// adminDecisions lists the recent authorization decisions, newest first. The optional query
// parameters effect (Allow or Deny) and limit narrow the list.
func (s *Server) adminDecisions(w http.ResponseWriter, r *http.Request) {
	all := s.decisions.Recent()
	effect := r.URL.Query().Get("effect")
	limit := len(all)
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeAdmin(w, http.StatusBadRequest, adminError{"limit must be a positive integer"})
			return
		}
		limit = n
	}
	out := make([]access.Decision, 0, min(limit, len(all)))
	for _, d := range all {
		if len(out) == limit {
			break
		}
		if effect == "" || strings.EqualFold(effect, d.Effect) {
			out = append(out, d)
		}
	}
	writeAdmin(w, http.StatusOK, map[string]any{"decisions": out})
}

// adminError is the admin API's error body.
type adminError struct {
	Error string `json:"error"`
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func (s *Server) adminHealth(w http.ResponseWriter, _ *http.Request) {
	writeAdmin(w, http.StatusOK, map[string]string{"status": "ok", "time": s.Now().Format(time.RFC3339Nano)})
}

func (s *Server) adminReset(w http.ResponseWriter, _ *http.Request) {
	s.Reset()
	writeAdmin(w, http.StatusOK, map[string]string{"status": "reset"})
}

// ClockRequest is the body of POST /_kms53/clock: one of Advance (a Go duration, "720h") or Set
// (RFC 3339).
type ClockRequest struct {
	Advance string `json:"advance,omitempty"`
	Set     string `json:"set,omitempty"`
}

// ClockResponse is the answer of /_kms53/clock: the emulator's time after the change.
type ClockResponse struct {
	Now time.Time `json:"now"`
}

func (s *Server) adminClock(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, perr := awsproto.ReadBody(r)
		if perr != nil {
			writeAdmin(w, perr.Status, adminError{perr.Message})
			return
		}
		var req ClockRequest
		if err := json.Unmarshal(body, &req); err != nil {
			writeAdmin(w, http.StatusBadRequest, adminError{"body must be {\"advance\":\"<duration>\"} or {\"set\":\"<RFC 3339>\"}: " + err.Error()})
			return
		}
		switch {
		case req.Advance != "" && req.Set == "":
			d, err := time.ParseDuration(req.Advance)
			if err != nil || d < 0 {
				writeAdmin(w, http.StatusBadRequest, adminError{"advance must be a non-negative Go duration such as 36h: " + req.Advance})
				return
			}
			s.Advance(d)
		case req.Set != "" && req.Advance == "":
			t, err := time.Parse(time.RFC3339Nano, req.Set)
			if err != nil {
				writeAdmin(w, http.StatusBadRequest, adminError{"set must be an RFC 3339 time: " + err.Error()})
				return
			}
			s.SetTime(t)
		default:
			writeAdmin(w, http.StatusBadRequest, adminError{"give exactly one of advance and set"})
			return
		}
	}
	writeAdmin(w, http.StatusOK, ClockResponse{Now: s.Now()})
}

// State is the export of GET /_kms53/state. It never holds private key material.
type State struct {
	Time    time.Time    `json:"time"`
	Keys    []StateKey   `json:"keys"`
	Aliases []StateAlias `json:"aliases"`
	Grants  []StateGrant `json:"grants"`
}

// StateGrant is a grant in the state export (without its token).
type StateGrant struct {
	GrantID           string    `json:"grantId"`
	KeyID             string    `json:"keyId"`
	Name              string    `json:"name,omitempty"`
	GranteePrincipal  string    `json:"granteePrincipal"`
	RetiringPrincipal string    `json:"retiringPrincipal,omitempty"`
	Operations        []string  `json:"operations"`
	SourceArn         string    `json:"sourceArn,omitempty"`
	CreationDate      time.Time `json:"creationDate"`
}

// StateKey is a key in the state export.
type StateKey struct {
	KeyID        string            `json:"keyId"`
	Arn          string            `json:"arn"`
	Account      string            `json:"account"`
	Region       string            `json:"region"`
	KeySpec      string            `json:"keySpec"`
	KeyUsage     string            `json:"keyUsage"`
	KeyState     string            `json:"keyState"`
	Description  string            `json:"description"`
	CreationDate time.Time         `json:"creationDate"`
	DeletionDate *time.Time        `json:"deletionDate,omitempty"`
	Policy       json.RawMessage   `json:"policy"`
	Tags         map[string]string `json:"tags,omitempty"`
}

// StateAlias is an alias in the state export.
type StateAlias struct {
	AliasName   string `json:"aliasName"`
	Arn         string `json:"arn"`
	TargetKeyID string `json:"targetKeyId"`
}

func (s *Server) adminState(w http.ResponseWriter, _ *http.Request) {
	st := State{Time: s.Now(), Keys: []StateKey{}, Aliases: []StateAlias{}, Grants: []StateGrant{}}
	for _, k := range s.store.AllKeys() {
		sk := StateKey{
			KeyID: k.ID, Arn: k.ARN, Account: k.Account, Region: k.Region, KeySpec: k.KeySpec,
			KeyUsage: k.KeyUsage, KeyState: k.State, Description: k.Description,
			CreationDate: k.CreationDate, Policy: policyJSON(k.Policy),
		}
		if !k.DeletionDate.IsZero() {
			d := k.DeletionDate
			sk.DeletionDate = &d
		}
		if len(k.Tags) > 0 {
			sk.Tags = map[string]string{}
			for _, t := range k.Tags {
				sk.Tags[t.Key] = t.Value
			}
		}
		st.Keys = append(st.Keys, sk)
	}
	for _, a := range s.store.AllAliases() {
		st.Aliases = append(st.Aliases, StateAlias{AliasName: a.Name, Arn: a.ARN, TargetKeyID: a.TargetKeyID})
	}
	for _, g := range s.store.AllGrants() {
		st.Grants = append(st.Grants, StateGrant{
			GrantID: g.ID, KeyID: g.KeyID, Name: g.Name,
			GranteePrincipal:  g.GranteePrincipal + g.GranteeServicePrincipal,
			RetiringPrincipal: g.RetiringPrincipal + g.RetiringServicePrincipal,
			Operations:        g.Operations, SourceArn: g.SourceArn, CreationDate: g.CreationDate,
		})
	}
	writeAdmin(w, http.StatusOK, st)
}

// policyJSON embeds a stored policy document as JSON (it was validated as JSON when stored).
func policyJSON(doc string) json.RawMessage {
	if json.Valid([]byte(doc)) {
		return json.RawMessage(doc)
	}
	b, _ := json.Marshal(doc)
	return b
}
