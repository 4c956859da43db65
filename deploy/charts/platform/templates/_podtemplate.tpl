{{/*
The application's pod template, shared by the Deployment (releaseStrategy rolling) and the Argo Rollouts Rollout
(releaseStrategy blueGreen), so both strategies run exactly the same pods.
*/}}
{{- define "platform.podTemplate" -}}
metadata:
  labels:
    {{- include "platform.labels" . | nindent 4 }}
  annotations:
    checksum/tenant-config: {{ include "platform.tenantConfig" . | sha256sum }}
spec:
  serviceAccountName: {{ include "platform.serviceAccountName" . }}
  automountServiceAccountToken: false
  # The preStop delay plus the time the application needs to finish its requests.
  terminationGracePeriodSeconds: {{ .Values.rollout.terminationGracePeriodSeconds }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  # Pod Security 'restricted': non-root, default seccomp profile.
  securityContext:
    runAsNonRoot: true
    runAsUser: {{ .Values.runAsUser }}
    runAsGroup: {{ .Values.runAsGroup }}
    fsGroup: {{ .Values.runAsGroup }}
    seccompProfile:
      type: RuntimeDefault
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "platform.selectorLabels" . | nindent 10 }}
  containers:
    - name: app
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ .Values.containerPort }}
          protocol: TCP
      env:
        - name: PLATFORM_TENANT_CONFIG
          value: /etc/platform/tenant.json
        - name: PLATFORM_LISTEN_PORT
          value: {{ .Values.containerPort | quote }}
        {{- range $name, $key := dict "DATABASE_HOST" .Values.database.keys.host "DATABASE_PORT" .Values.database.keys.port "DATABASE_NAME" .Values.database.keys.database "DATABASE_USER" .Values.database.keys.username "DATABASE_PASSWORD" .Values.database.keys.password }}
        - name: {{ $name }}
          valueFrom:
            secretKeyRef:
              name: {{ $.Values.database.existingSecret }}
              key: {{ $key }}
        {{- end }}
      lifecycle:
        # Endpoints and ingress controllers learn of a terminating pod a moment after it is told to stop: the
        # pod keeps serving for this long first, so no request is sent to a pod that has gone. The kubelet's
        # sleep action needs no shell or sleep binary in the image.
        preStop:
          sleep:
            seconds: {{ .Values.rollout.preStopDelaySeconds }}
      startupProbe:
        httpGet:
          path: {{ .Values.probes.startup.path }}
          port: http
        periodSeconds: {{ .Values.probes.startup.periodSeconds }}
        failureThreshold: {{ .Values.probes.startup.failureThreshold }}
      readinessProbe:
        httpGet:
          path: {{ .Values.probes.readiness.path }}
          port: http
        periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
        failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
      livenessProbe:
        httpGet:
          path: {{ .Values.probes.liveness.path }}
          port: http
        periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
        failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop:
            - ALL
        seccompProfile:
          type: RuntimeDefault
      volumeMounts:
        - name: tenant-config
          mountPath: /etc/platform
          readOnly: true
        # The root filesystem is read-only; the application writes only here.
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tenant-config
      configMap:
        name: {{ include "platform.fullname" . }}-tenant
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
{{- end -}}
