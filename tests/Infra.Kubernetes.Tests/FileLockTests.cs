using System.Diagnostics;
using Infra.Providers.Kubernetes.GitOps;

namespace Infra.Kubernetes.Tests;

public class FileLockTests
{
    [Fact]
    public async Task Holders_in_one_process_never_overlap_and_a_lock_another_process_holds_is_waited_for()
    {
        var folder = Directory.CreateTempSubdirectory("infra-lock-");
        var path = Path.Combine(folder.FullName, "stack.lock");
        try
        {
            int inside = 0, most = 0;
            await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            {
                using var hold = await FileLock.AcquireAsync(path, CancellationToken.None);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                await Task.Delay(1);
                Interlocked.Decrement(ref inside);
            }));
            Assert.Equal(1, most);

            // util-linux flock takes the same kernel lock from another process and holds it until its stdin closes.
            var start = new ProcessStartInfo("flock", [path, "sh", "-c", "echo held; read line"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
            };
            using var other = Process.Start(start)!;
            Assert.Equal("held", await other.StandardOutput.ReadLineAsync());
            var released = false;
            var acquiring = Task.Run(async () =>
            {
                using var hold = await FileLock.AcquireAsync(path, CancellationToken.None);
                return Volatile.Read(ref released);
            });
            // Time for a wrong acquisition to happen, if it would.
            await Task.Delay(200);
            Assert.False(acquiring.IsCompleted, "the lock was taken while another process held it");
            Volatile.Write(ref released, true);
            other.StandardInput.Close();
            Assert.True(await acquiring, "the lock was taken before the other process let it go");
            await other.WaitForExitAsync();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
