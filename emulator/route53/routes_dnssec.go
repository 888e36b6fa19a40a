package route53

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// dnssecRoutes registers the DNSSEC operations.
func (s *Service) dnssecRoutes(r *mux.Router) {
	s.route(r, http.MethodPost, "/keysigningkey", func(rc *Request, _ *http.Request, body []byte) (result, error) {
		in := &CreateKeySigningKeyInput{}
		if err := awsproto.DecodeXML(body, "CreateKeySigningKeyRequest", in); err != nil {
			return result{}, err
		}
		out, err := s.CreateKeySigningKey(rc, in)
		if err != nil {
			return result{}, err
		}
		// UNVERIFIED: the Location AWS returns; this names the KSK's own path.
		return result{status: http.StatusCreated, body: out, location: location("keysigningkey/" + in.HostedZoneID + "/" + in.Name)}, nil
	})
	ksk := func(r *http.Request) (string, string) { v := mux.Vars(r); return v["id"], v["name"] }
	s.route(r, http.MethodPost, "/keysigningkey/{id}/{name}/activate", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		id, name := ksk(r)
		out, err := s.ActivateKeySigningKey(rc, id, name)
		return result{body: out}, err
	})
	s.route(r, http.MethodPost, "/keysigningkey/{id}/{name}/deactivate", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		id, name := ksk(r)
		out, err := s.DeactivateKeySigningKey(rc, id, name)
		return result{body: out}, err
	})
	s.route(r, http.MethodDelete, "/keysigningkey/{id}/{name}", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		id, name := ksk(r)
		out, err := s.DeleteKeySigningKey(rc, id, name)
		return result{body: out}, err
	})
	s.route(r, http.MethodPost, "/hostedzone/{id}/enable-dnssec", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		out, err := s.EnableHostedZoneDNSSEC(rc, mux.Vars(r)["id"])
		return result{body: out}, err
	})
	s.route(r, http.MethodPost, "/hostedzone/{id}/disable-dnssec", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		out, err := s.DisableHostedZoneDNSSEC(rc, mux.Vars(r)["id"])
		return result{body: out}, err
	})
	s.route(r, http.MethodGet, "/hostedzone/{id}/dnssec", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		out, err := s.GetDNSSEC(rc, mux.Vars(r)["id"])
		return result{body: out}, err
	})
}
