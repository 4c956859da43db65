#!/usr/bin/env bash
# A Sealed Secrets key pair for local runs, demos and tests, where no cluster (and so no controller) exists:
#   scripts/demo-sealing-cert.sh [DIR]   -> prints the certificate's path (DIR defaults to .infra/sealed-secrets)
# Writes DIR/tls.crt and DIR/tls.key (0600) once, in the controller's own shape (self-signed RSA 4096,
# CN=sealed-secret), and leaves an existing pair alone. Set kubernetes:sealedSecretsCert to the certificate.
#
# Production never uses this: it seals with the controller's certificate, 'kubeseal --fetch-cert > cert.pem'.
# To let a test cluster's controller open what was sealed here, give it this key pair:
#   kubectl -n kube-system create secret tls sealed-secrets-demo --cert=DIR/tls.crt --key=DIR/tls.key
#   kubectl -n kube-system label secret sealed-secrets-demo sealedsecrets.bitnami.com/sealed-secrets-key=active
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-${repo_root}/.infra/sealed-secrets}"

command -v openssl >/dev/null || { echo "demo-sealing-cert: 'openssl' is required; install it with apt-get." >&2; exit 1; }
mkdir -p "${dir}"
# One writer at a time (tests and the demo may run together), and the certificate renamed into place last: a
# reader never sees half a file or a certificate without its key.
exec 9>"${dir}/.lock"
flock 9
if [[ ! -s "${dir}/tls.crt" || ! -s "${dir}/tls.key" ]]; then
  (
    umask 077
    openssl req -x509 -newkey rsa:4096 -nodes -sha256 -days 3650 -subj "/O=sealed-secret/CN=sealed-secret" \
      -keyout "${dir}/.tls.key.new" -out "${dir}/.tls.crt.new" 2>/dev/null
  )
  chmod 0644 "${dir}/.tls.crt.new"
  mv -f "${dir}/.tls.key.new" "${dir}/tls.key"
  mv -f "${dir}/.tls.crt.new" "${dir}/tls.crt"
fi
echo "$(cd "${dir}" && pwd)/tls.crt"
