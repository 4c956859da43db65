using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Infra.Onboarding.Apis;

/// <summary>
/// Every error the API answers, as RFC 9457 ProblemDetails built in one place. A 400 names the request field in
/// <c>field</c> and in its detail, so a client can point at it.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult Field(string field, string detail) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The request is invalid.",
        Detail = $"{field}: {detail}",
        Type = "https://infra.dev/problems/invalid-field",
        Extensions = { ["field"] = field },
    });

    public static ProblemHttpResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not found.", $"{what} does not exist.", "not-found");

    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "The request conflicts with the current state.", detail, "conflict");

    public static ProblemHttpResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "The token's scope does not allow this.", detail, "forbidden");

    public static ProblemHttpResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"the body is larger than {limit / 1024} KB.", "too-large");

    public static ProblemHttpResult Problem(int status, string title, string detail, string type) => TypedResults.Problem(new ProblemDetails
    {
        Status = status,
        Title = title,
        Detail = detail,
        Type = $"https://infra.dev/problems/{type}",
    });
}
