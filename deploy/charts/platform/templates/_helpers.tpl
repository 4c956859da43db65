{{/* The release's object name: the release name, cut to the 63 characters a DNS label allows. */}}
{{- define "platform.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "platform.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "platform.labels" -}}
{{ include "platform.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: platform
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
infra.dev/tenant: {{ .Values.tenant.id }}
{{- end -}}

{{/*
The workload's own labels: the common ones, plus infra.dev/production (TenantConventions.ProductionLabelKey) on a
production plan's release, which the compliance pack's production policies read. Not on the pods: moving a tenant to
a production plan must not restart them for a label.
*/}}
{{- define "platform.workloadLabels" -}}
{{ include "platform.labels" . }}
{{- if .Values.production }}
infra.dev/production: "true"
{{- end }}
{{- end -}}

{{/* The tenant's host: its custom domain, or <tenant id>.<base domain>. */}}
{{- define "platform.host" -}}
{{- if .Values.customDomain -}}
{{- .Values.customDomain -}}
{{- else -}}
{{- printf "%s.%s" .Values.tenant.id .Values.ingress.baseDomain -}}
{{- end -}}
{{- end -}}

{{- define "platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- include "platform.fullname" . -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The tenant configuration the application reads at start-up; its checksum rolls the pods when it changes. */}}
{{- define "platform.tenantConfig" -}}
{{- $config := dict "tenant" .Values.tenant "branding" .Values.branding "featureFlags" .Values.featureFlags "host" (include "platform.host" .) -}}
{{- toPrettyJson $config -}}
{{- end -}}
