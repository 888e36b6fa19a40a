package route53

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/kms53/kms53/emulator/internal/awsproto"
)

// Prefix is the path prefix of the Route 53 API.
const Prefix = "/2013-04-01/"

// Routes registers the Route 53 operations on r, which must be rooted at /2013-04-01/.
func (s *Service) Routes(r *mux.Router) {
	on := func(method, path string, op operation) { s.route(r, method, path, op) }
	on(http.MethodPost, "/hostedzone", func(rc *Request, r *http.Request, body []byte) (result, error) {
		in := &CreateHostedZoneInput{}
		if err := awsproto.DecodeXML(body, "CreateHostedZoneRequest", in); err != nil {
			return result{}, err
		}
		out, err := s.CreateHostedZone(rc, in)
		if err != nil {
			return result{}, err
		}
		return result{status: http.StatusCreated, body: out, location: location(out.HostedZone.ID[1:])}, nil
	})
	on(http.MethodGet, "/hostedzone", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		q := r.URL.Query()
		out, err := s.ListHostedZones(rc, &ListHostedZonesInput{Marker: q.Get("marker"), MaxItems: q.Get("maxitems"),
			DelegationSetID: q.Get("delegationsetid"), HostedZoneType: q.Get("hostedzonetype")})
		return result{body: out}, err
	})
	on(http.MethodGet, "/hostedzonesbyname", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		q := r.URL.Query()
		out, err := s.ListHostedZonesByName(rc, &ListHostedZonesByNameInput{DNSName: q.Get("dnsname"),
			HostedZoneID: q.Get("hostedzoneid"), MaxItems: q.Get("maxitems")})
		return result{body: out}, err
	})
	on(http.MethodGet, "/hostedzonecount", func(rc *Request, _ *http.Request, _ []byte) (result, error) {
		out, err := s.GetHostedZoneCount(rc)
		return result{body: out}, err
	})
	on(http.MethodGet, "/hostedzone/{id}", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		out, err := s.GetHostedZone(rc, mux.Vars(r)["id"])
		return result{body: out}, err
	})
	on(http.MethodPost, "/hostedzone/{id}", func(rc *Request, r *http.Request, body []byte) (result, error) {
		in := &UpdateHostedZoneCommentInput{}
		if err := awsproto.DecodeXML(body, "UpdateHostedZoneCommentRequest", in); err != nil {
			return result{}, err
		}
		out, err := s.UpdateHostedZoneComment(rc, mux.Vars(r)["id"], in)
		return result{body: out}, err
	})
	on(http.MethodDelete, "/hostedzone/{id}", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		out, err := s.DeleteHostedZone(rc, mux.Vars(r)["id"])
		return result{body: out}, err
	})
	changeRRSets := func(rc *Request, r *http.Request, body []byte) (result, error) {
		in := &ChangeResourceRecordSetsInput{}
		if err := awsproto.DecodeXML(body, "ChangeResourceRecordSetsRequest", in); err != nil {
			return result{}, err
		}
		out, err := s.ChangeResourceRecordSets(rc, mux.Vars(r)["id"], in)
		return result{body: out}, err
	}
	on(http.MethodPost, "/hostedzone/{id}/rrset", changeRRSets)
	on(http.MethodPost, "/hostedzone/{id}/rrset/", changeRRSets)
	listRRSets := func(rc *Request, r *http.Request, _ []byte) (result, error) {
		q := r.URL.Query()
		out, err := s.ListResourceRecordSets(rc, mux.Vars(r)["id"], &ListResourceRecordSetsInput{Name: q.Get("name"),
			Type: q.Get("type"), Identifier: q.Get("identifier"), MaxItems: q.Get("maxitems")})
		return result{body: out}, err
	}
	on(http.MethodGet, "/hostedzone/{id}/rrset", listRRSets)
	on(http.MethodGet, "/hostedzone/{id}/rrset/", listRRSets)
	on(http.MethodGet, "/change/{id}", func(rc *Request, r *http.Request, _ []byte) (result, error) {
		out, err := s.GetChange(rc, mux.Vars(r)["id"])
		return result{body: out}, err
	})
	s.dnssecRoutes(r)
	r.NotFoundHandler = http.HandlerFunc(s.unknown)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.unknown)
}

// operation is the HTTP side of one operation: it decodes the request and runs the method.
type operation func(rc *Request, r *http.Request, body []byte) (result, error)

// route serves an operation at a method and path.
func (s *Service) route(r *mux.Router, method, path string, op operation) {
	r.Methods(method).Path(path).HandlerFunc(func(w http.ResponseWriter, req *http.Request) { s.serve(w, req, op) })
}

// unknown answers a path or method no Route 53 operation serves.
func (s *Service) unknown(w http.ResponseWriter, r *http.Request) {
	awsproto.WriteXMLError(w, s.ids.UUID(), awsproto.ErrorStatus(http.StatusNotFound, "UnknownOperationException",
		"No Route 53 operation is served at %s %s", r.Method, r.URL.Path))
}
