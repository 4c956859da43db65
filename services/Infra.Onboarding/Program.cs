using Infra.Onboarding;

return await OnboardingApp.RunAsync(args).ConfigureAwait(false);

/// <summary>The service's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
