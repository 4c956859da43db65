using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Infra.Onboarding.Apis;

/// <summary>
/// The document's fixed parts: no <c>servers</c> taken from the request's host (so the checked-in copy equals what
/// any instance serves), the title and version, and the bearer scheme every <c>/v1</c> route needs.
/// </summary>
internal sealed class OpenApiDocumentShape : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Servers = [];
        document.Info = new OpenApiInfo
        {
            Title = "Infra onboarding API",
            Version = "v1",
            Description = "Tenants on demand: onboard, change, back up, restore and remove tenants. Every /v1 route needs a bearer token with scope admin, operator or tenant:<id>.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
        return Task.CompletedTask;
    }
}
