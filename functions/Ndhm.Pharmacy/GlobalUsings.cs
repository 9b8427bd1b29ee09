// Hl7.Fhir.Model has a Task resource; in this assembly "Task" means the .NET one.
global using Task = System.Threading.Tasks.Task;
