{{/*
Chart name, overridable with .Values.nameOverride; 63 characters at most (a DNS label).
*/}}
{{- define "rollgate-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects: <release>-<chart>, or just <release> when the release name
already contains the chart name (release "rollgate-operator" gives "rollgate-operator", not
"rollgate-operator-rollgate-operator").
*/}}
{{- define "rollgate-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "rollgate-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels that never change for the life of a release: the Deployment's selector.
*/}}
{{- define "rollgate-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rollgate-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of every object of the chart.
*/}}
{{- define "rollgate-operator.labels" -}}
helm.sh/chart: {{ include "rollgate-operator.chart" . }}
{{ include "rollgate-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: rollgate
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Name of the operator's ServiceAccount: the RBAC below is bound to it.
*/}}
{{- define "rollgate-operator.serviceAccountName" -}}
{{- default (include "rollgate-operator.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/*
Image reference; the tag defaults to the chart's appVersion.
*/}}
{{- define "rollgate-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The kube-score checks the operator Deployment skips (its kube-score/ignore annotation, whose comment
says why), each only while the values that justify it are in effect.
*/}}
{{- define "rollgate-operator.kubeScoreIgnores" -}}
{{- $checks := list "container-ephemeral-storage-request-and-limit" }}
{{- if ne .Values.image.pullPolicy "Always" }}{{ $checks = append $checks "container-image-pull-policy" }}{{ end }}
{{- if lt (int .Values.replicaCount) 2 }}{{ $checks = append $checks "deployment-replicas" }}{{ end }}
{{- if not .Values.networkPolicy.enabled }}{{ $checks = append $checks "pod-networkpolicy" }}{{ end }}
{{- join "," $checks }}
{{- end }}

{{/*
"true" when the cluster serves an API, given as group/version/Kind (e.g.
monitoring.coreos.com/v1/ServiceMonitor): when Helm's .Capabilities.APIVersions has it (helm install
and upgrade ask the cluster; helm template knows only the built-in APIs and its --api-versions), or
when the values' apiVersions list names it. Empty otherwise.
*/}}
{{- define "rollgate-operator.servesApi" -}}
{{- $root := index . 0 }}
{{- $api := index . 1 }}
{{- if or ($root.Capabilities.APIVersions.Has $api) (has $api $root.Values.apiVersions) }}true{{ end }}
{{- end }}
