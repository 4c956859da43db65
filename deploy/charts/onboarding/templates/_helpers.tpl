{{- define "onboarding.labels" -}}
app.kubernetes.io/name: onboarding
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "onboarding.selector" -}}
app.kubernetes.io/name: onboarding
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
