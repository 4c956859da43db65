using Infra.Policy;

namespace Infra.Policies.Tests.Support;

/// <summary>A compliant tenant, as the tenant database and tenant namespace components are expected to declare it.</summary>
internal static class TenantFixtures
{
    public static PolicyResource Namespace(string tenant = "acme") => Fixture.Kubernetes($$"""
        {
          "apiVersion": "v1", "kind": "Namespace",
          "metadata": {
            "name": "tenant-{{tenant}}",
            "labels": {
              "infra.dev/tenant": "{{tenant}}",
              "pod-security.kubernetes.io/enforce": "restricted",
              "pod-security.kubernetes.io/enforce-version": "v1.34"
            }
          }
        }
        """);

    public static PolicyResource DefaultDeny(string tenant = "acme") => Fixture.Kubernetes($$"""
        {
          "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
          "metadata": { "name": "default-deny", "namespace": "tenant-{{tenant}}" },
          "spec": { "podSelector": {}, "policyTypes": ["Ingress", "Egress"] }
        }
        """);

    /// <summary>Allows DNS and the ingress controller, as the tenant namespace component does.</summary>
    public static PolicyResource AllowPlatform(string tenant = "acme") => Fixture.Kubernetes($$"""
        {
          "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
          "metadata": { "name": "allow-platform", "namespace": "tenant-{{tenant}}" },
          "spec": {
            "podSelector": {},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [ { "from": [
              { "namespaceSelector": { "matchLabels": { "kubernetes.io/metadata.name": "ingress-nginx" } } },
              { "namespaceSelector": { "matchLabels": { "infra.dev/tenant": "{{tenant}}" } } },
              { "podSelector": { "matchLabels": { "app": "web" } } }
            ] } ],
            "egress": [ { "to": [
              { "namespaceSelector": { "matchLabels": { "kubernetes.io/metadata.name": "kube-system" } },
                "podSelector": { "matchLabels": { "k8s-app": "kube-dns" } } }
            ] } ]
          }
        }
        """);

    public static PolicyResource Quota(string tenant = "acme") => Fixture.Kubernetes($$"""
        {
          "apiVersion": "v1", "kind": "ResourceQuota",
          "metadata": { "name": "quota", "namespace": "tenant-{{tenant}}" },
          "spec": { "hard": { "requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi", "pods": "20" } }
        }
        """);

    public static PolicyResource LimitRange(string tenant = "acme") => Fixture.Kubernetes($$"""
        {
          "apiVersion": "v1", "kind": "LimitRange",
          "metadata": { "name": "limits", "namespace": "tenant-{{tenant}}" },
          "spec": { "limits": [ { "type": "Container", "default": { "cpu": "500m", "memory": "256Mi" }, "defaultRequest": { "cpu": "100m", "memory": "128Mi" } } ] }
        }
        """);

    public const string Container = """
        {
          "name": "app",
          "image": "ghcr.io/acme/platform:1.4.2",
          "resources": { "requests": { "cpu": "100m", "memory": "128Mi" }, "limits": { "cpu": "500m", "memory": "256Mi" } },
          "securityContext": { "runAsNonRoot": true, "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false },
          "readinessProbe": { "httpGet": { "path": "/ready", "port": 8080 } },
          "livenessProbe": { "httpGet": { "path": "/live", "port": 8080 } },
          "env": [ { "name": "DB_PASSWORD", "valueFrom": { "secretKeyRef": { "name": "db", "key": "password" } } } ]
        }
        """;

    public static PolicyResource WebDeployment(string tenant = "acme", string name = "web") => Fixture.Kubernetes($$"""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": { "name": "{{name}}", "namespace": "tenant-{{tenant}}" },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "{{name}}" } },
            "template": {
              "metadata": { "labels": { "app": "{{name}}", "tier": "frontend" } },
              "spec": {
                "securityContext": { "runAsNonRoot": true },
                "containers": [ {{Container}} ],
                "volumes": [ { "name": "tmp", "emptyDir": {} } ]
              }
            }
          }
        }
        """);

    /// <summary>The web application as an Argo Rollouts blue-green Rollout with a pre-promotion analysis, labelled as a production plan's release.</summary>
    public static PolicyResource WebRollout(string tenant = "acme", string name = "web") => WebDeployment(tenant, name)
        .Set("apiVersion", "\"argoproj.io/v1alpha1\"")
        .Set("kind", "\"Rollout\"")
        .Set("metadata.labels", """{ "infra.dev/production": "true" }""")
        .Set("spec.strategy", $$"""
            { "blueGreen": { "activeService": "{{name}}", "previewService": "{{name}}-preview", "autoPromotionEnabled": false,
                             "prePromotionAnalysis": { "templates": [ { "templateName": "{{name}}-preview" } ] } } }
            """);

    public static PolicyResource DisruptionBudget(string tenant = "acme", string app = "web") => Fixture.Kubernetes($$"""
        {
          "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
          "metadata": { "name": "{{app}}", "namespace": "tenant-{{tenant}}" },
          "spec": { "minAvailable": 1, "selector": { "matchLabels": { "app": "{{app}}" } } }
        }
        """);

    public static PolicyResource[] Namespaced(string tenant = "acme") =>
        [Namespace(tenant), DefaultDeny(tenant), AllowPlatform(tenant), Quota(tenant), LimitRange(tenant), WebDeployment(tenant), DisruptionBudget(tenant)];

    public static PolicyResource Database(string tenant = "acme", bool protect = true) =>
        Fixture.Resource("postgres:index:Database", $"db-{tenant}", $$"""
            { "name": "tenant_{{tenant}}", "owner": "tenant_{{tenant}}_owner", "encoding": "UTF8", "template": "template0", "connectionLimit": 20 }
            """, protect);

    public static PolicyResource Role(string tenant = "acme") =>
        Fixture.Resource("postgres:index:Role", $"role-{tenant}", $$"""
            { "name": "tenant_{{tenant}}", "login": true, "password": { "$secret": "s3cr3t-{{tenant}}" }, "connectionLimit": 20, "inherit": true }
            """);

    public static PolicyResource OwnerRole(string tenant = "acme") =>
        Fixture.Resource("postgres:index:Role", $"owner-{tenant}", $$"""
            { "name": "tenant_{{tenant}}_owner", "login": false, "connectionLimit": -1, "inherit": true }
            """);

    public static PolicyResource RevokePublic(string tenant = "acme") =>
        Fixture.Resource("postgres:index:Revoke", $"revoke-public-{tenant}", $$"""
            { "role": "PUBLIC", "database": "tenant_{{tenant}}", "objectType": "database", "privileges": ["CONNECT"] }
            """);

    public static PolicyResource GrantConnect(string tenant = "acme", string? role = null) =>
        Fixture.Resource("postgres:index:Grant", $"grant-connect-{tenant}", $$"""
            { "role": "{{role ?? "tenant_" + tenant}}", "database": "tenant_{{tenant}}", "objectType": "database", "privileges": ["CONNECT"] }
            """);

    public static PolicyResource Backup(string tenant = "acme", int retentionDays = 30) =>
        Fixture.Resource("infra:index:BackupSchedule", $"backup-{tenant}", $$"""
            { "tenant": "{{tenant}}", "database": "tenant_{{tenant}}", "schedule": "0 3 * * *", "retentionDays": {{retentionDays}} }
            """);

    /// <summary>The CronJob the tenant stack renders to run <see cref="Backup"/>: in the operators' namespace, on the schedule's cron.</summary>
    public static PolicyResource BackupRunner(string tenant = "acme", string schedule = "0 3 * * *") => Fixture.Kubernetes($$"""
        { "apiVersion": "batch/v1", "kind": "CronJob", "metadata": { "name": "tenant-backup-{{tenant}}", "namespace": "infra-system", "labels": { "infra.dev/backup-of": "{{tenant}}" } },
          "spec": { "schedule": "{{schedule}}", "jobTemplate": { "spec": { "template": { "spec": {
            "restartPolicy": "Never", "automountServiceAccountToken": false,
            "securityContext": { "runAsNonRoot": true, "runAsUser": 10001, "seccompProfile": { "type": "RuntimeDefault" } },
            "containers": [ { "name": "backup", "args": ["tenant", "backup", "-s", "tenant-{{tenant}}"],
              "securityContext": { "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": { "drop": ["ALL"] } },
              "resources": { "requests": { "cpu": "100m", "memory": "256Mi" }, "limits": { "cpu": "1", "memory": "1Gi" } } } ] } } } } } }
        """);

    public static PolicyResource[] DatabaseResources(string tenant = "acme") =>
        [Database(tenant), OwnerRole(tenant), Role(tenant), RevokePublic(tenant), GrantConnect(tenant), Backup(tenant), BackupRunner(tenant)];
}
