namespace Infra;

/// <summary>
/// Base class for class-based stack programs: declare resources in the constructor, export outputs with
/// <see cref="StackContext.Export{T}(string, Output{T})"/>. Run one with <see cref="StackProgram.FromStack{TStack}"/>.
/// </summary>
/// <example>
/// <code>
/// public sealed class DemoStack : Stack
/// {
///     public DemoStack(StackContext context) : base(context)
///     {
///         var password = new RandomPassword("admin", new RandomPasswordArgs { Length = 24 });
///         context.Export("adminPassword", password.Result);
///     }
/// }
/// </code>
/// </example>
public abstract class Stack
{
    /// <summary>Creates the stack; resources declared in the derived constructor belong to it.</summary>
    protected Stack(StackContext context) => Context = context ?? throw new ArgumentNullException(nameof(context));

    /// <summary>The stack's context: name, config, exports.</summary>
    protected StackContext Context { get; }
}
