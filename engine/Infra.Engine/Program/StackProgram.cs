namespace Infra;

/// <summary>
/// A stack program: the code that declares a stack's resources. Make one from a <see cref="Stack"/> class or
/// from a delegate (an inline program for the Automation API).
/// </summary>
public abstract class StackProgram
{
    /// <summary>Runs the program, declaring resources into the current context.</summary>
    public abstract Task RunAsync(StackContext context);

    /// <summary>A program that constructs <typeparamref name="TStack"/>.</summary>
    public static StackProgram FromStack<TStack>() where TStack : Stack => new DelegateProgram(context =>
    {
        _ = (TStack)Activator.CreateInstance(typeof(TStack), context)!;
        return Task.CompletedTask;
    });

    /// <summary>A program from a synchronous delegate.</summary>
    public static StackProgram FromDelegate(Action<StackContext> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new DelegateProgram(context =>
        {
            program(context);
            return Task.CompletedTask;
        });
    }

    /// <summary>A program from an asynchronous delegate.</summary>
    public static StackProgram FromDelegate(Func<StackContext, Task> program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new DelegateProgram(program);
    }

    private sealed class DelegateProgram(Func<StackContext, Task> program) : StackProgram
    {
        public override Task RunAsync(StackContext context)
        {
            try
            {
                return program(context);
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
