{{/*
Labels of every object of the example stack; the component label tells the tiers apart.
*/}}
{{- define "clinic.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector of one StatefulSet's pods; call with (dict "root" $ "component" "postgres").
*/}}
{{- define "clinic.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Object names, fixed by the release name so that release "clinic" matches DESIGN.md:
clinic-postgres, clinic-cache, clinic-db. The operator's own names (<name>-api, <name>-worker)
follow from the ApiDeployment's name, which is the release name.
*/}}
{{- define "clinic.postgresName" -}}
{{- printf "%s-postgres" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "clinic.cacheName" -}}
{{- printf "%s-cache" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "clinic.secretName" -}}
{{- printf "%s-db" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The database password: the value if given, else the one already in the Secret (so that an
upgrade never changes the password of an initialised database), else a new random one.
`helm template` cannot look anything up, so tests pass postgres.password.
*/}}
{{- define "clinic.dbPassword" -}}
{{- if .Values.postgres.password }}
{{- .Values.postgres.password }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace (include "clinic.secretName" .) }}
{{- if and $existing (index $existing.data "POSTGRES_PASSWORD") }}
{{- index $existing.data "POSTGRES_PASSWORD" | b64dec }}
{{- else }}
{{- randAlphaNum 24 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A tier's pod overlay: the release-wide placement under the tier's own overlay (whose keys win).
Call with (dict "root" $ "pod" .Values.clinic.api.pod); renders YAML, empty when there is nothing.
*/}}
{{- define "clinic.podOverlay" -}}
{{- $placement := dict }}
{{- with .root.Values.placement }}
{{- with .nodeSelector }}{{- $_ := set $placement "nodeSelector" . }}{{- end }}
{{- with .tolerations }}{{- $_ := set $placement "tolerations" . }}{{- end }}
{{- end }}
{{- $pod := mergeOverwrite (deepCopy $placement) (deepCopy (.pod | default dict)) }}
{{- if $pod }}{{- toYaml $pod }}{{- end }}
{{- end }}

{{/*
nodeSelector and tolerations of the release's StatefulSet pods (values.yaml "placement").
*/}}
{{- define "clinic.placement" -}}
{{- with .Values.placement }}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- end }}
