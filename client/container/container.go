// Package container runs kms53, the AWS KMS and Route 53 emulator, as a Docker container with
// testcontainers-go: Run starts the image and waits until it answers GET /_kms53/health,
// Endpoint(ctx, "http") is the URL to give the AWS SDK as its base endpoint for both KMS and
// Route 53, and DNSAddress is where the hosted zones answer DNS queries.
//
// The image is built from the kms53 repository with scripts/build-image.sh (kms53:dev). It is
// its own Go module, so that the kms53 module does not depend on testcontainers-go.
//
// Published ports: when the Docker daemon publishes ports on this machine, they are bound to
// 127.0.0.1 only, and Host, Endpoint and DNSAddress name 127.0.0.1; for a daemon elsewhere they
// are published as testcontainers does by default and named by testcontainers' host.
package container

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

const (
	httpPort   = "4566/tcp" // KMS, Route 53 and the admin API
	dnsPort    = "1053/udp" // DNS of the hosted zones
	dnsTCPPort = "1053/tcp"
	configPath = "/kms53.yaml" // where WithConfig puts the -config file
	healthPath = "/_kms53/health"
	readyLog   = `msg="kms53 ready"` // logged once HTTP and DNS both listen
)

// loopbackIP is where ports are published when the daemon is local.
var loopbackIP = netip.MustParseAddr("127.0.0.1")

// Container is a running kms53 container. Terminate it when done, for instance with
// testcontainers.CleanupContainer in a test.
type Container struct {
	testcontainers.Container
	host string // the host its ports are reached on
}

// Run starts a kms53 container of the image img (e.g. "kms53:dev") and waits until it is ready:
// GET /_kms53/health answers 200 and DNS listens. Options of this package set kms53's flags;
// testcontainers customizers apply after them, so testcontainers.WithCmd or WithWaitStrategy
// replace what Run sets.
//
// The container is returned even with an error once it has been created, so that the caller
// can terminate it (testcontainers.CleanupContainer accepts a nil one).
func Run(ctx context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	var settings options
	for _, opt := range opts {
		if o, ok := opt.(Option); ok {
			if err := o(&settings); err != nil {
				return nil, fmt.Errorf("kms53 option: %w", err)
			}
		}
	}
	host, local, err := daemonHost(ctx)
	if err != nil {
		return nil, fmt.Errorf("kms53: docker host: %w", err)
	}

	ready := wait.ForAll(
		wait.ForHTTP(healthPath).WithPort(httpPort).WithPollInterval(20*time.Millisecond),
		wait.ForLog(readyLog).WithPollInterval(20*time.Millisecond),
	).WithDeadline(time.Minute)
	moduleOpts := []testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts(httpPort, dnsPort, dnsTCPPort),
		testcontainers.WithCmd(append([]string{"-addr", "0.0.0.0:4566", "-dns-addr", "0.0.0.0:1053"}, settings.args()...)...),
		testcontainers.WithWaitStrategy(onHost{host: host, Strategy: ready}),
	}
	if local {
		moduleOpts = append(moduleOpts, testcontainers.WithHostConfigModifier(bindLoopback))
	}
	if settings.config != nil {
		moduleOpts = append(moduleOpts, testcontainers.WithFiles(testcontainers.ContainerFile{
			Reader: bytes.NewReader(settings.config), ContainerFilePath: configPath, FileMode: 0o644,
		}))
	}
	moduleOpts = append(moduleOpts, opts...)

	ctr, err := testcontainers.Run(ctx, img, moduleOpts...)
	var c *Container
	if ctr != nil {
		c = &Container{Container: ctr, host: host}
	}
	if err != nil {
		return c, fmt.Errorf("run kms53: %w", err)
	}
	return c, nil
}

// Endpoint returns where the AWS APIs (KMS and Route 53) and the admin API answer, the container's
// port 4566/tcp: "http://host:port" for proto "http" (the base endpoint of aws-sdk-go-v2
// clients, AWS_ENDPOINT_URL of the AWS CLI), "host:port" for proto "". It replaces
// testcontainers' Endpoint, which would pick the lowest exposed port (DNS).
func (c *Container) Endpoint(ctx context.Context, proto string) (string, error) {
	return c.PortEndpoint(ctx, httpPort, proto)
}

// DNSAddress returns the "host:port" where kms53 answers DNS queries for its hosted zones, over
// UDP (the container's 1053/udp). With a Docker daemon on this machine, TCP (1053/tcp) is
// published on the same port, as for the kms53 binary; else c.PortEndpoint(ctx, "1053/tcp", "")
// tells where TCP is.
func (c *Container) DNSAddress(ctx context.Context) (string, error) {
	return c.PortEndpoint(ctx, dnsPort, "")
}

// Host returns the host the container's ports are published on: 127.0.0.1 for a Docker daemon
// on this machine (see the package documentation), else testcontainers' answer.
func (c *Container) Host(context.Context) (string, error) { return c.host, nil }

// PortEndpoint returns "proto://host:port" (or "host:port" for proto "") of the container's
// port (such as "1053/tcp") as published on Host.
func (c *Container) PortEndpoint(ctx context.Context, port, proto string) (string, error) {
	p, err := c.MappedPort(ctx, port)
	if err != nil {
		return "", fmt.Errorf("kms53: mapped port %s: %w", port, err)
	}
	addr := net.JoinHostPort(c.host, p.Port())
	if proto == "" {
		return addr, nil
	}
	return proto + "://" + addr, nil
}

// daemonHost returns the host that published ports are reached on, and whether the Docker daemon
// publishes them on this machine, where they are then bound to loopback only and reached on
// 127.0.0.1:
//   - TESTCONTAINERS_HOST_OVERRIDE, when set, names the host;
//   - a daemon reached over TCP is on its URL's host;
//   - a daemon on a local socket publishes here, unless this runs in a container that shares the
//     daemon's socket but not its network (the daemon's default bridge is not among this
//     machine's interfaces): then testcontainers' guess, the gateway, is the host.
//
// A host counts as this machine when it is a loopback name or one of this machine's addresses.
func daemonHost(ctx context.Context) (host string, local bool, err error) {
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return "", false, err
	}
	defer p.Close()
	if h, set := os.LookupEnv("TESTCONTAINERS_HOST_OVERRIDE"); set {
		return localHost(h)
	}
	u, err := url.Parse(p.Client().DaemonHost())
	if err != nil {
		return "", false, err
	}
	switch u.Scheme {
	case "unix", "npipe":
		if !inContainer() || bridgeIsHere(ctx, p.Client()) {
			return loopbackIP.String(), true, nil
		}
		h, err := p.DaemonHost(ctx)
		if err != nil {
			return "", false, err
		}
		return localHost(h)
	default:
		return localHost(u.Hostname())
	}
}

// localHost returns 127.0.0.1 and true when host is this machine, else host and false.
func localHost(host string) (string, bool, error) {
	if isLocal(host) {
		return loopbackIP.String(), true, nil
	}
	return host, false, nil
}

// inContainer reports whether this process runs in a container.
func inContainer() bool {
	for _, f := range []string{"/.dockerenv", "/run/.containerenv"} {
		if _, err := os.Stat(f); err == nil {
			return true
		}
	}
	return false
}

// bridgeIsHere reports whether the interface of the daemon's default bridge network (docker0)
// is one of this machine's: then the daemon publishes ports in this network namespace.
func bridgeIsHere(ctx context.Context, cli client.APIClient) bool {
	nw, err := cli.NetworkInspect(ctx, "bridge", client.NetworkInspectOptions{})
	if err != nil {
		return false
	}
	name := nw.Network.Options["com.docker.network.bridge.name"]
	if name == "" {
		return false
	}
	_, err = net.InterfaceByName(name)
	return err == nil
}

// isLocal reports whether host names this machine.
func isLocal(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// bindLoopback publishes the exposed ports on 127.0.0.1 only: 4566/tcp on a port Docker picks,
// and DNS, 1053/udp and 1053/tcp, on one port free for both (so that DNSAddress serves both
// protocols, as kms53's own DNS address does), or on ports Docker picks when none is found.
func bindLoopback(hc *container.HostConfig) {
	if hc.PortBindings == nil {
		hc.PortBindings = network.PortMap{}
	}
	dns := ""
	if p, err := freeUDPAndTCPPort(); err == nil {
		dns = strconv.Itoa(p)
	}
	for _, b := range []struct{ port, hostPort string }{{httpPort, ""}, {dnsPort, dns}, {dnsTCPPort, dns}} {
		port := network.MustParsePort(b.port)
		if _, set := hc.PortBindings[port]; !set {
			hc.PortBindings[port] = []network.PortBinding{{HostIP: loopbackIP, HostPort: b.hostPort}}
		}
	}
}

// freeUDPAndTCPPort returns a port of 127.0.0.1 free for both UDP and TCP at the time of the
// call; Docker binds it a moment later.
func freeUDPAndTCPPort() (int, error) {
	for attempt := 0; ; attempt++ {
		pc, err := net.ListenPacket("udp", net.JoinHostPort(loopbackIP.String(), "0"))
		if err != nil {
			return 0, err
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			ln.Close()
			pc.Close()
			return pc.LocalAddr().(*net.UDPAddr).Port, nil
		}
		pc.Close()
		if attempt == 20 {
			return 0, err
		}
	}
}

// onHost is a wait strategy that reaches the container's ports on host, which may differ from
// testcontainers' guess (see daemonHost).
type onHost struct {
	host string
	wait.Strategy
}

// WaitUntilReady waits with the wrapped strategy, on the container seen on s.host.
func (s onHost) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	return s.Strategy.WaitUntilReady(ctx, hostTarget{StrategyTarget: target, host: s.host})
}

// hostTarget is a wait.StrategyTarget whose Host is fixed.
type hostTarget struct {
	wait.StrategyTarget
	host string
}

func (t hostTarget) Host(context.Context) (string, error) { return t.host, nil }
